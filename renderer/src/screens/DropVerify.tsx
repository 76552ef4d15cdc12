// Drop a received CMS or signed XML file on the window: core verifies it (the verdict of `kense verify`).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VerifyResult } from '../../../contract/ipc';
import { api } from '../state/store';
import { Dialog } from '../ui/Dialog';
import { ErrorNotice, toShownError, type ShownError } from '../ui/ErrorNotice';
import { formatDateTime } from '../format/format';
import { toBase64 } from './DocumentDetail';

export function DropVerify() {
  const { t } = useTranslation();
  const [over, setOver] = useState(false);
  const [result, setResult] = useState<{ file: string; verdict: VerifyResult | null; error: ShownError | null } | null>(null);
  useEffect(() => {
    const onOver = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      setOver(true);
    };
    const onLeave = (e: DragEvent) => {
      if (e.relatedTarget === null) setOver(false);
    };
    const onDrop = async (e: DragEvent) => {
      e.preventDefault();
      setOver(false);
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (!files.length) return;
      const sig = files.find((f) => /\.(cms|p7s|p7m|sig|xml)$/i.test(f.name)) ?? files[0];
      const data = files.find((f) => f !== sig);
      try {
        const verdict = await api().invoke('verify.file', {
          fileName: sig.name,
          contentBase64: toBase64(new Uint8Array(await sig.arrayBuffer())),
          ...(data ? { dataBase64: toBase64(new Uint8Array(await data.arrayBuffer())) } : {}),
        });
        setResult({ file: sig.name, verdict, error: null });
      } catch (err) {
        setResult({ file: sig.name, verdict: null, error: toShownError(err) });
      }
    };
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
  const v = result?.verdict;
  return (
    <>
      {over && <div className="drop">{t('docs.dropHint')}</div>}
      {result && (
        <Dialog title={t('verify.title', { file: result.file })} onClose={() => setResult(null)} wide footer={<button className="btn" onClick={() => setResult(null)}>{t('common.close')}</button>}>
          {result.error && <ErrorNotice error={result.error} />}
          {v && (
            <>
              <div className={`notice ${v.status === 'valid' ? 'ok' : v.status === 'invalid' ? 'danger' : 'warn'}`} data-testid="verify-verdict">
                <div className="grow">
                  <strong>{t(`verify.${v.status}`)}</strong>
                  {v.detached && <span>{t('verify.detached')}</span>}
                  {v.error && <span>{v.error}</span>}
                </div>
              </div>
              {v.signers.map((s, i) => (
                <dl key={i} className="kv card card-pad">
                  <dt>{t('verify.signer')}</dt>
                  <dd>{s.signer ? `${s.signer.name ?? ''} ${s.signer.iin ?? ''} ${s.signer.bin ?? ''} · ${s.signer.serialNumber}` : '—'}</dd>
                  <dt>{t('verify.signingTime')}</dt>
                  <dd>{s.signingTime ? formatDateTime(s.signingTime) : '—'}</dd>
                  <dt>{t('verify.timestampTime')}</dt>
                  <dd>{s.timestampTime ? formatDateTime(s.timestampTime) : '—'}</dd>
                  <dt>{t('verify.revocation')}</dt>
                  <dd>{s.revocation.status}</dd>
                  {s.reasons.length > 0 && (
                    <>
                      <dt>{t('verify.reasons')}</dt>
                      <dd>{s.reasons.join('; ')}</dd>
                    </>
                  )}
                </dl>
              ))}
            </>
          )}
        </Dialog>
      )}
    </>
  );
}
