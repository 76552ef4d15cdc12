// Settings: language, signer (NCALayer / key file), certificates, cache (size, re-sync, wipe), updates, about.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAction, useQuery } from '../api/hooks';
import { api, useOffice } from '../state/store';
import { formatBytes, formatCount } from '../format/format';
import { Dialog } from '../ui/Dialog';
import { PageHead } from '../ui/Card';
import { ErrorNotice } from '../ui/ErrorNotice';
import { LanguageSwitch } from './LanguageSwitch';

export function Settings() {
  const { t } = useTranslation();
  const settings = useOffice((s) => s.settings);
  const info = useQuery('app.info', {});
  const { error, run } = useAction();
  const [wiping, setWiping] = useState(false);
  const toast = useOffice((s) => s.toast);
  const update = (patch: Parameters<ReturnType<typeof api>['invoke']>[1] & object) =>
    run(async () => {
      const s = await api().invoke('settings.update', patch as never);
      useOffice.setState({ settings: s });
      toast({ kind: 'ok', title: t('settings.saved') });
    });
  const units = [t('settings.bytes.b'), t('settings.bytes.kb'), t('settings.bytes.mb'), t('settings.bytes.gb')] as const;
  return (
    <div className="page" data-testid="screen-settings">
      <PageHead title={t('settings.title')} />
      {error && <ErrorNotice error={error} />}
      <div className="grid grid-2">
        <section className="card card-pad stack" aria-labelledby="h-lang">
          <h2 id="h-lang">{t('settings.language')}</h2>
          <LanguageSwitch />
        </section>
        <section className="card card-pad stack" aria-labelledby="h-signer">
          <h2 id="h-signer">{t('settings.signer')}</h2>
          <label className="field">
            <span className="label">{t('settings.signerVia')}</span>
            <select className="input" value={settings?.signer.via ?? 'ncalayer'} onChange={(e) => void update({ signer: { via: e.target.value as 'ncalayer' | 'p12' } })}>
              <option value="ncalayer">{t('signin.viaNcalayer')}</option>
              <option value="p12">{t('signin.viaP12')}</option>
            </select>
          </label>
          <div className="field">
            <span className="label">{t('settings.ncalayerUrl')}</span>
            <span className="mono">{settings?.signer.ncalayerUrl}</span>
          </div>
          {settings?.signer.p12Path && (
            <div className="field">
              <span className="label">{t('settings.keyFile')}</span>
              <span className="mono">{settings.signer.p12Path}</span>
            </div>
          )}
        </section>
        <section className="card card-pad stack" aria-labelledby="h-cache">
          <h2 id="h-cache">{t('settings.cache')}</h2>
          {settings?.cache && <p>{t('settings.cacheSize', { size: formatBytes(settings.cache.sizeBytes, units), documents: formatCount(settings.cache.documents) })}</p>}
          <div className="row">
            <button className="btn" onClick={() => void run(async () => { await api().invoke('cache.resync'); toast({ kind: 'info', title: t('settings.resyncStarted') }); })}>{t('settings.resync')}</button>
            <button
              className="btn"
              onClick={() =>
                void run(async () => {
                  const r = await api().invoke('sync.exportOutbox');
                  const saved = await api().invoke('files.save', { suggestedName: r.fileName, mime: 'application/json', contentBase64: btoa(unescape(encodeURIComponent(r.json))) });
                  toast({ kind: 'ok', title: t('settings.saved'), text: saved.path ?? undefined });
                })
              }
            >
              {t('settings.exportOutbox')}
            </button>
          </div>
          <p className="hint">{t('settings.resyncHint')}</p>
          <button className="btn btn-danger" style={{ alignSelf: 'flex-start' }} onClick={() => setWiping(true)}>
            {t('settings.wipe')}
          </button>
        </section>
        <section className="card card-pad stack" aria-labelledby="h-updates">
          <h2 id="h-updates">{t('settings.updates')}</h2>
          <div className="seg" role="group" aria-label={t('settings.updates')}>
            {(['stable', 'beta'] as const).map((c) => (
              <button key={c} aria-pressed={settings?.updateChannel === c} onClick={() => void update({ updateChannel: c })}>
                {t(`settings.channel.${c}`)}
              </button>
            ))}
          </div>
          <label className="row">
            <input type="checkbox" className="checkbox" checked={settings?.desktopNotifications ?? false} onChange={(e) => void update({ desktopNotifications: e.target.checked })} />
            {t('settings.notifications')}
          </label>
          <h2>{t('settings.about')}</h2>
          <p>
            {t('app.name')} · {t('settings.version', { version: info.data?.appVersion ?? '' })}
          </p>
          <p className="faint">
            {t('settings.cloud')}: <span className="mono">{settings?.cloudUrl ?? '—'}</span>
          </p>
        </section>
      </div>
      {wiping && (
        <Dialog
          title={t('settings.wipe')}
          onClose={() => setWiping(false)}
          footer={
            <>
              <button className="btn" onClick={() => setWiping(false)} data-autofocus>{t('common.cancel')}</button>
              <button
                className="btn btn-danger"
                onClick={() =>
                  void run(async () => {
                    setWiping(false);
                    const s = await api().invoke('session.signOut', { forget: true });
                    useOffice.setState({ session: s });
                  })
                }
              >
                {t('settings.wipe')}
              </button>
            </>
          }
        >
          <p>{t('settings.wipeConfirm')}</p>
        </Dialog>
      )}
    </div>
  );
}
