// Company: users and roles (first manager only), my devices and sessions, certificates with "report key
// compromise", and the audit log with CSV export.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../contract/cloud';
import { useAction, useQuery } from '../api/hooks';
import { api, useOffice } from '../state/store';
import { daysUntil, formatDate, formatDateTime, formatDocNumber, subjectParts } from '../format/format';
import { Card, PageHead } from '../ui/Card';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Dialog } from '../ui/Dialog';

const ASSIGNABLE: Exclude<Role, 'first_manager'>[] = ['accountant', 'manager', 'viewer'];

export function Company() {
  const { t } = useTranslation();
  const perms = useOffice((s) => s.session?.permissions ?? []);
  const company = useOffice((s) => s.session?.company);
  return (
    <div className="page" data-testid="screen-company">
      <PageHead title={t('company.title')} sub={company ? `${company.name} · ${t('billing.bin')} ${company.iinBin}` : ''} />
      {perms.includes('users.manage') ? <Users /> : <p className="muted">{t('company.onlyFirstManager')}</p>}
      <div className="grid grid-2">
        <Sessions />
        <Certificates />
      </div>
      {perms.includes('audit.read') && <Audit />}
    </div>
  );
}

function Users() {
  const { t } = useTranslation();
  const q = useQuery('users.list', {}, { refreshOn: ['user', 'branch'] });
  const { error, run } = useAction();
  const toast = useOffice((s) => s.toast);
  const branchName = (id: string | null) => (id ? q.data?.branches.find((b) => b.id === id)?.name ?? id : t('company.headOffice'));
  return (
    <Card title={t('company.users')}>
      {(q.error || error) && <ErrorNotice error={(q.error ?? error)!} />}
      <table className="table">
        <thead>
          <tr>
            <th>{t('company.name')}</th>
            <th>{t('company.iin')}</th>
            <th>{t('company.role')}</th>
            <th>{t('company.branch')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {q.data?.items.map((u) => (
            <tr key={u.id}>
              <td>
                {u.fullName}
                <div className="row" style={{ gap: 4 }}>
                  {u.locked && <span className="badge danger">{t('company.locked')}</span>}
                  {u.terminated && <span className="badge">{t('company.terminated')}</span>}
                  {u.totpEnabled && <span className="badge ok">{t('company.totp')}</span>}
                </div>
              </td>
              <td className="mono">{u.iin}</td>
              <td>
                {u.role === 'first_manager' || u.terminated ? (
                  t(`nav.role.${u.role}`)
                ) : (
                  <select
                    className="input"
                    value={u.role}
                    aria-label={`${t('company.changeRole')}: ${u.fullName}`}
                    onChange={(e) =>
                      void run(async () => {
                        await api().invoke('users.changeRole', { userId: u.id, role: e.target.value as Exclude<Role, 'first_manager'>, branchId: u.branchId });
                        toast({ kind: 'info', title: t('company.roleQueued') });
                      })
                    }
                  >
                    {ASSIGNABLE.map((r) => (
                      <option key={r} value={r}>{t(`nav.role.${r}`)}</option>
                    ))}
                  </select>
                )}
              </td>
              <td>{branchName(u.branchId)}</td>
              <td className="nowrap">
                {u.locked && <button className="btn btn-sm" onClick={() => void run(() => api().invoke('users.unlock', { userId: u.id }))}>{t('company.unlock')}</button>}
                {u.role !== 'first_manager' && !u.terminated && (
                  <button className="btn btn-sm btn-danger" onClick={() => window.confirm(t('company.terminateConfirm', { name: u.fullName })) && void run(() => api().invoke('users.terminate', { userId: u.id }))}>
                    {t('company.terminate')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

function Sessions() {
  const { t } = useTranslation();
  const q = useQuery('sessions.list', {});
  const { error, run } = useAction();
  return (
    <Card title={t('company.sessions')}>
      {(q.error || error) && <ErrorNotice error={(q.error ?? error)!} kind="warn" />}
      <table className="table">
        <tbody>
          {q.data?.items.map((s) => (
            <tr key={s.id}>
              <td>
                {s.device.name} {s.current && <span className="badge info">{t('company.thisDevice')}</span>}
                <div className="faint">{s.device.platform} · {s.ip}</div>
              </td>
              <td className="nowrap faint">{formatDateTime(s.lastSeenAt)}</td>
              <td>{!s.current && <button className="btn btn-sm" onClick={() => void run(async () => { await api().invoke('sessions.end', { id: s.id }); q.reload(); })}>{t('company.endSession')}</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

function Certificates() {
  const { t } = useTranslation();
  const q = useQuery('certificates.list', {});
  const home = useQuery('home.get', {});
  const [compromise, setCompromise] = useState<string | null>(null);
  const perms = useOffice((s) => s.session?.permissions ?? []);
  const { error, run } = useAction();
  // Offline the server's list is out of reach: the certificates this device has seen still are.
  const local = home.data?.certificates ?? [];
  const items = q.data?.items ?? local.map((c) => ({ serial: c.serial, subject: c.commonName ?? '', notAfter: c.notAfter, status: 'active' as const, iin: c.iin, bin: c.bin, userId: null, compromisedAt: null }));
  return (
    <Card title={t('company.certificates')} bodyClassName="stack">
      {error && <ErrorNotice error={error} />}
      {items.length === 0 && !q.loading && <p className="muted">{t('home.noCertificates')}</p>}
      {items.map((c) => {
        const who = subjectParts(c.subject);
        const left = c.notAfter ? daysUntil(c.notAfter.slice(0, 10)) : null;
        return (
        <div key={c.serial} className="row cert-row" data-testid="certificate">
          <span className="grow">
            <strong>{who.name ?? c.subject}</strong>
            <span className="faint" style={{ display: 'block' }}>
              {[c.iin ?? who.iin ? `${t('company.iin')} ${c.iin ?? who.iin}` : null, c.bin ?? who.bin ? `${t('billing.bin')} ${c.bin ?? who.bin}` : null, who.org].filter(Boolean).join(' · ')}
            </span>
            <span className="mono faint wrap-any" style={{ display: 'block' }}>{c.serial}</span>
            {c.notAfter && left !== null && (
              <span className={`badge ${left < 0 ? 'danger' : left <= 30 ? 'warn' : 'ok'}`}>
                {left < 0 ? t('home.certExpired') : t('company.validUntil', { date: formatDate(c.notAfter), count: left })}
              </span>
            )}
          </span>
          {c.status === 'compromised' ? (
            <>
              <span className="badge danger">{t('company.compromised')}</span>
              {perms.includes('certificates.restore') && <button className="btn btn-sm" onClick={() => void run(async () => { await api().invoke('certificates.restore', { serial: c.serial }); q.reload(); })}>{t('company.restore')}</button>}
            </>
          ) : (
            <button className="btn btn-sm btn-danger" onClick={() => setCompromise(c.serial)}>{t('company.reportCompromise')}</button>
          )}
        </div>
        );
      })}
      {compromise && <CompromiseDialog serial={compromise} onClose={() => { setCompromise(null); q.reload(); }} />}
    </Card>
  );
}

function CompromiseDialog({ serial, onClose }: { serial: string; onClose(): void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const { error, run } = useAction();
  const toast = useOffice((s) => s.toast);
  return (
    <Dialog
      title={t('company.compromiseTitle')}
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button className="btn btn-danger" onClick={() => void run(async () => { await api().invoke('certificates.reportCompromise', { serial, ...(reason ? { reason } : {}) }); toast({ kind: 'ok', title: t('company.compromiseDone') }); onClose(); })}>
            {t('company.reportCompromise')}
          </button>
        </>
      }
    >
      <p>{t('company.compromiseText', { serial })}</p>
      <label className="field">
        <span className="label">{t('company.compromiseReason')}</span>
        <textarea className="input" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </label>
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}

function Audit() {
  const { t } = useTranslation();
  const q = useQuery('audit.list', { limit: 50 });
  const { error, run } = useAction();
  const toast = useOffice((s) => s.toast);
  const exportCsv = () =>
    run(async () => {
      const r = await api().invoke('audit.export');
      const bytes = new TextEncoder().encode(r.csv);
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      const saved = await api().invoke('files.save', { suggestedName: r.fileName, mime: 'text/csv', contentBase64: btoa(s) });
      toast({ kind: 'ok', title: t('settings.saved'), text: saved.path ?? undefined });
    });
  return (
    <Card title={t('company.audit')} actions={<button className="btn btn-sm" onClick={() => void exportCsv()}>{t('company.auditExport')}</button>}>
      {(q.error || error) && <ErrorNotice error={(q.error ?? error)!} kind="warn" />}
      <table className="table">
        <thead>
          <tr>
            <th>{t('company.auditWhen')}</th>
            <th>{t('company.auditWho')}</th>
            <th>{t('company.auditAction')}</th>
            <th>{t('company.auditDevice')}</th>
          </tr>
        </thead>
        <tbody>
          {q.data?.items.map((a) => (
            <tr key={a.id}>
              <td className="nowrap">{formatDateTime(a.at)}</td>
              <td>{a.userName ?? '—'}</td>
              <td>
                {t(`company.action.${a.action.replace(/\./g, '_')}`, { defaultValue: a.action })}
                {typeof a.details.number === 'string' && <span className="mono faint"> {formatDocNumber(a.details.number)}</span>}
              </td>
              <td className="faint">{[a.deviceName, a.ip].filter(Boolean).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

