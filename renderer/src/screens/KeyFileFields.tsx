// Choosing a key file (.p12) and typing its password, for sign-in and for signing. The password lives only in the
// caller's state for the one call that uses it.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '../api/hooks';

export function KeyFileFields(props: { id: string; p12Path: string; setP12Path(p: string): void; password: string; setPassword(p: string): void }) {
  const { t } = useTranslation();
  const keyFiles = useQuery('signer.keyFiles', {});
  const { p12Path, setP12Path } = props;
  useEffect(() => {
    if (!p12Path && keyFiles.data?.items.length) setP12Path(keyFiles.data.items[0].path);
  }, [keyFiles.data, p12Path, setP12Path]);
  return (
    <>
      <div className="field">
        <label htmlFor={`${props.id}-p12`}>{t('signin.keyFile')}</label>
        {keyFiles.data && keyFiles.data.items.length === 0 && <span className="hint">{t('signin.noKeyFiles')}</span>}
        <select id={`${props.id}-p12`} className="input" value={p12Path} onChange={(e) => setP12Path(e.target.value)}>
          {keyFiles.data?.items.map((k) => (
            <option key={k.path} value={k.path}>
              {k.certificate?.commonName ? `${k.certificate.commonName} — ` : ''}
              {k.path.split(/[\\/]/).slice(-3).join('/')}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${props.id}-pw`}>{t('signin.keyPassword')}</label>
        <input id={`${props.id}-pw`} className="input" type="password" autoComplete="off" value={props.password} onChange={(e) => props.setPassword(e.target.value)} />
      </div>
    </>
  );
}
