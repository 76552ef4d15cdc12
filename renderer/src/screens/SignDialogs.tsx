// Signing one or many documents in one batch (one key choice, one password), and refusing with a reason. Both work
// offline: core stores and queues them; the result says what is waiting to sync.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentRef, DocumentRow, EventPayload } from '../../../contract/ipc';
import type { SignerKind } from '../../../contract/signing';
import { api, useOffice } from '../state/store';
import { formatMoney } from '../format/format';
import { Dialog } from '../ui/Dialog';
import { KeyFileFields } from './KeyFileFields';
import { ErrorNotice, toShownError, type ShownError } from '../ui/ErrorNotice';

const isRow = (x: DocumentRow | DocumentRef): x is DocumentRow => 'amount' in x;

export function SignDialog({ items, onClose }: { items: (DocumentRow | DocumentRef)[]; onClose(done: boolean): void }) {
  const { t } = useTranslation();
  const settings = useOffice((s) => s.settings);
  const online = useOffice((s) => s.sync?.online ?? false);
  const toast = useOffice((s) => s.toast);
  const [via, setVia] = useState<SignerKind>(settings?.signer.via ?? 'ncalayer');
  const [p12Path, setP12Path] = useState(settings?.signer.p12Path ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<EventPayload<'signing.progress'> | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [failures, setFailures] = useState<{ ref: DocumentRef; error: ShownError }[]>([]);
  const requestId = useRef(`sign-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  useEffect(() => api().on('signing.progress', (p) => p.requestId === requestId.current && setProgress(p)), []);

  const total = items.filter(isRow).reduce((a, r) => a + r.amount, 0);
  const refs: DocumentRef[] = items.map((x) => ({ kind: x.kind, id: x.id }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api().invoke('documents.sign', {
        items: refs,
        via,
        requestId: requestId.current,
        ...(via === 'p12' ? { p12Path, password } : {}),
      });
      const ok = r.results.filter((x) => x.ok);
      const bad = r.results.filter((x) => !x.ok);
      if (ok.length) {
        const queued = ok.some((x) => x.localState === 'signed_locally');
        toast({ kind: 'ok', title: t('sign.done', { count: ok.length }), text: queued ? (online ? t('sign.sending') : t('sign.queued')) : undefined });
      }
      if (bad.length) {
        setFailures(bad.map((x) => ({ ref: x.ref, error: x.error ?? { code: 'INTERNAL' } })));
        setBusy(false);
        return;
      }
      onClose(true);
    } catch (err) {
      setError(toShownError(err));
      setBusy(false);
    } finally {
      setPassword('');
    }
  };
  const cancel = () => {
    if (busy) void api().invoke('signing.cancel', { requestId: requestId.current }).catch(() => undefined);
    onClose(failures.length > 0);
  };

  return (
    <Dialog
      title={t('sign.title', { count: items.length })}
      onClose={cancel}
      testId="sign-dialog"
      footer={
        <>
          <button className="btn" type="button" onClick={cancel}>
            {busy ? t('sign.cancel') : t('common.cancel')}
          </button>
          <button className="btn btn-primary" type="submit" form="sign-form" disabled={busy || (via === 'p12' && (!p12Path || !password))} data-testid="sign-confirm" data-autofocus>
            {busy ? (via === 'ncalayer' && progress?.phase !== 'verifying' && progress?.phase !== 'storing' ? t('sign.waitingSigner') : t('sign.working')) : t('sign.confirm')}
          </button>
        </>
      }
    >
      <form id="sign-form" className="stack" onSubmit={submit}>
        {total > 0 && <p>{t('sign.total', { amount: formatMoney(total) })}</p>}
        {!online && (
          <div className="notice warn" data-testid="sign-offline-note">
            <div className="grow">{t('sign.offlineNote')}</div>
          </div>
        )}
        <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="label">{t('sign.via')}</legend>
          <label className="choice">
            <input type="radio" name="sign-via" checked={via === 'ncalayer'} onChange={() => setVia('ncalayer')} />
            <span>
              <strong>{t('signin.viaNcalayer')}</strong>
              <span className="hint" style={{ display: 'block' }}>{t('signin.viaNcalayerHint')}</span>
            </span>
          </label>
          <label className="choice">
            <input type="radio" name="sign-via" checked={via === 'p12'} onChange={() => setVia('p12')} />
            <span>
              <strong>{t('signin.viaP12')}</strong>
              <span className="hint" style={{ display: 'block' }}>{t('signin.viaP12Hint')}</span>
            </span>
          </label>
        </fieldset>
        {via === 'p12' && <KeyFileFields id="sign" p12Path={p12Path} setP12Path={setP12Path} password={password} setPassword={setPassword} />}
        {busy && progress && progress.total > 0 && (
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={progress.total} aria-valuenow={progress.done}>
            <div style={{ width: `${(100 * progress.done) / progress.total}%` }} />
          </div>
        )}
        {error && <ErrorNotice error={error} />}
        {failures.length > 0 && (
          <div className="stack" data-testid="sign-failures">
            <strong>{t('sign.failed', { count: failures.length })}</strong>
            {failures.map((f) => (
              <ErrorNotice key={f.ref.id} error={f.error} />
            ))}
          </div>
        )}
      </form>
    </Dialog>
  );
}

export function RefuseDialog({ docRef, onClose }: { docRef: DocumentRef; onClose(): void }) {
  const { t } = useTranslation();
  const toast = useOffice((s) => s.toast);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const short = reason.trim().length < 3;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (short) return;
    setBusy(true);
    try {
      const r = await api().invoke('documents.refuse', { ...docRef, reason: reason.trim() });
      if (!r.ok && r.error) {
        setError(r.error);
        setBusy(false);
        return;
      }
      toast({ kind: 'ok', title: t('refuse.done'), text: r.localState === 'refused_locally' ? t('detail.refusedWaiting') : undefined });
      onClose();
    } catch (err) {
      setError(toShownError(err));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t('refuse.title')}
      onClose={onClose}
      testId="refuse-dialog"
      footer={
        <>
          <button className="btn" type="button" onClick={onClose}>{t('common.cancel')}</button>
          <button className="btn btn-danger" type="submit" form="refuse-form" disabled={busy} data-testid="refuse-confirm">{t('refuse.confirm')}</button>
        </>
      }
    >
      <form id="refuse-form" className="stack" onSubmit={submit}>
        <div className="field">
          <label htmlFor="refuse-reason">{t('refuse.reason')}</label>
          <textarea id="refuse-reason" className="input" value={reason} onChange={(e) => setReason(e.target.value)} onBlur={() => setTouched(true)} aria-invalid={touched && short} aria-describedby="refuse-hint" maxLength={2000} data-testid="refuse-reason" data-autofocus />
          <span className="hint" id="refuse-hint">{t('refuse.reasonHint')}</span>
          {touched && short && <span className="field-error">{t('refuse.tooShort')}</span>}
        </div>
        {error && <ErrorNotice error={error} />}
      </form>
    </Dialog>
  );
}
