// Sign-in: with the ЭЦП (NCALayer, or a key file through the bundled signer — each explained, NCALayer's state and
// the doctor's advice shown), or ИИН + password (+ TOTP); cached profiles open offline.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Brand } from '../ui/icons';
import type { OperationOutput, Profile } from '../../../contract/ipc';
import type { SignerKind } from '../../../contract/signing';
import { api } from '../state/store';
import { useQuery } from '../api/hooks';
import { KeyFileFields } from './KeyFileFields';
import { ErrorNotice, toShownError, type ShownError } from '../ui/ErrorNotice';
import { formatDateTime } from '../format/format';
import { LanguageSwitch } from './LanguageSwitch';
import { signedIn } from '../app/wire';

export function SignIn() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<'key' | 'password'>('key');
  const profiles = useQuery('session.profiles', {});
  return (
    <div className="signin">
      <section className="signin-hero">
        <Brand name={t('app.name')} tagline={t('app.tagline')} />
        <h1>{t('signin.heroTitle')}</h1>
        <ul>
          <li>{t('signin.hero1')}</li>
          <li>{t('signin.hero2')}</li>
          <li>{t('signin.hero3')}</li>
        </ul>
      </section>
      <main className="signin-panel" id="main">
        <div className="signin-top">
          <LanguageSwitch />
        </div>
        <div className="signin-box">
          <div>
            <h1>{t('signin.title')}</h1>
            <p className="page-sub">{t('signin.subtitle')}</p>
          </div>
          <div className="tabs" role="tablist">
            <button className="tab" role="tab" aria-selected={tab === 'key'} onClick={() => setTab('key')} data-testid="tab-key">
              {t('signin.tabKey')}
            </button>
            <button className="tab" role="tab" aria-selected={tab === 'password'} onClick={() => setTab('password')} data-testid="tab-password">
              {t('signin.tabPassword')}
            </button>
          </div>
          {tab === 'key' ? <KeySignIn /> : <PasswordSignIn />}
          {profiles.data && profiles.data.items.length > 0 && <OfflineProfiles items={profiles.data.items} />}
        </div>
        <p className="signin-foot hint">{t('signin.privacy')}</p>
      </main>
    </div>
  );
}

function useSignedIn() {
  return signedIn;
}

function KeySignIn() {
  const { t } = useTranslation();
  const [via, setVia] = useState<SignerKind>('ncalayer');
  const [doctor, setDoctor] = useState<OperationOutput<'doctor.run'> | null>(null);
  const [p12Path, setP12Path] = useState<string>('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const done = useSignedIn();

  useEffect(() => {
    void api().invoke('doctor.run').then(setDoctor, () => setDoctor(null));
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await api().invoke('session.signInWithCertificate', via === 'p12' ? { via, p12Path, password } : { via });
      done(s);
    } catch (err) {
      setError(toShownError(err));
    } finally {
      setBusy(false);
      setPassword('');
    }
  };
  const ncaOk = doctor?.ncalayer.status === 'ok' || doctor?.ncalayer.status === 'running' || doctor?.ncalayer.status === 'available';
  const advice = doctor?.findings.filter((f) => f.severity === 'problem' || f.severity === 'warning') ?? [];
  return (
    <form className="stack" onSubmit={submit} data-testid="signin-key">
      <label className="choice">
        <input type="radio" name="via" checked={via === 'ncalayer'} onChange={() => setVia('ncalayer')} />
        <span>
          <strong>{t('signin.viaNcalayer')}</strong>
          <span className="hint" style={{ display: 'block' }}>{t('signin.viaNcalayerHint')}</span>
          <span className="row" style={{ marginTop: 6 }} data-testid="ncalayer-state">
            <span className={`dot ${doctor === null ? '' : ncaOk ? 'ok' : 'bad'}`} aria-hidden="true" />
            <span className="hint">
              {t('signin.ncalayerState')}: {doctor === null ? t('signin.checking') : ncaOk ? `${t('signin.ncalayerReady')}${doctor.ncalayer.version ? ` (${doctor.ncalayer.version})` : ''}` : t('signin.ncalayerMissing')}
            </span>
          </span>
        </span>
      </label>
      <label className="choice">
        <input type="radio" name="via" checked={via === 'p12'} onChange={() => setVia('p12')} data-testid="via-p12" />
        <span>
          <strong>{t('signin.viaP12')}</strong>
          <span className="hint" style={{ display: 'block' }}>{t('signin.viaP12Hint')}</span>
        </span>
      </label>
      {via === 'p12' && <KeyFileFields id="signin" p12Path={p12Path} setP12Path={setP12Path} password={password} setPassword={setPassword} />}
      {via === 'ncalayer' && !ncaOk && advice.length > 0 && (
        <div className="notice info">
          <div className="grow">
            <strong>{t('signin.doctorTitle')}</strong>
            {advice.map((f) => (
              <span key={f.id} style={{ display: 'block' }}>
                {f.message}
                {f.fix ? ` ${f.fix}` : ''}
              </span>
            ))}
          </div>
        </div>
      )}
      {error && <ErrorNotice error={error} />}
      <button className="btn btn-primary" type="submit" disabled={busy || (via === 'p12' && (!p12Path || !password))} data-testid="signin-key-submit">
        {busy ? (via === 'ncalayer' ? t('signin.waitingSigner') : t('signin.working')) : t('signin.submitKey')}
      </button>
    </form>
  );
}

function PasswordSignIn() {
  const { t } = useTranslation();
  const [iin, setIin] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const policy = useQuery('security.passwordPolicy', {});
  const done = useSignedIn();
  const iinOk = /^\d{12}$/.test(iin);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!iinOk) return;
    setBusy(true);
    setError(null);
    try {
      done(await api().invoke('session.signInWithPassword', { iin, password, ...(totp ? { totp } : {}) }));
    } catch (err) {
      setError(toShownError(err));
    } finally {
      setBusy(false);
      setPassword('');
    }
  };
  return (
    <form className="stack" onSubmit={submit} data-testid="signin-password">
      <div className="field">
        <label htmlFor="iin">{t('signin.iin')}</label>
        <input id="iin" className="input" inputMode="numeric" autoComplete="username" maxLength={12} value={iin} onChange={(e) => setIin(e.target.value.replace(/\D/g, ''))} aria-invalid={iin.length > 0 && !iinOk} aria-describedby="iin-hint" />
        <span className="hint" id="iin-hint">{t('signin.iinHint')}</span>
      </div>
      <div className="field">
        <label htmlFor="pw">{t('signin.password')}</label>
        <input id="pw" className="input" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="totp">{t('signin.totp')}</label>
        <input id="totp" className="input" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={totp} onChange={(e) => setTotp(e.target.value.replace(/\D/g, ''))} />
      </div>
      {error && <ErrorNotice error={error} />}
      <button className="btn btn-primary" type="submit" disabled={busy || !iinOk || !password} data-testid="signin-password-submit">
        {busy ? t('signin.working') : t('signin.submitPassword')}
      </button>
      {policy.data && (
        <details className="hint">
          <summary>{t('signin.policyTitle')}</summary>
          <p>{t('signin.egovWarning')}</p>
        </details>
      )}
    </form>
  );
}

function OfflineProfiles({ items }: { items: Profile[] }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ShownError | null>(null);
  const open = async (p: Profile) => {
    try {
      const s = await api().invoke('session.openProfile', { profileId: p.id });
      signedIn(s);
    } catch (e) {
      setError(toShownError(e));
    }
  };
  return (
    <section className="stack" aria-labelledby="offline-title">
      <div>
        <h2 id="offline-title">{t('signin.offlineTitle')}</h2>
        <p className="hint">{t('signin.offlineHint')}</p>
      </div>
      {items.map((p) => (
        <div key={p.id} className="choice" data-testid="profile">
          <span className="grow">
            <strong>{p.userName}</strong>
            <span className="hint" style={{ display: 'block' }}>
              {p.companyName} · {t(`nav.role.${p.role}`)}
              {p.lastSyncAt ? ` · ${formatDateTime(p.lastSyncAt)}` : ''}
            </span>
          </span>
          <button className="btn btn-sm" type="button" onClick={() => void open(p)}>
            {t('signin.openProfile')}
          </button>
        </div>
      ))}
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
