// Support: requests to kense support (priority with the user agreement's SLA, description, screenshot, the computer
// check report and recent logs attached only with consent — core removes secrets first), the list of my requests
// with their SLA times, a request's conversation with reply, reopen and rating; and the doctor (this computer's check).
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { SUPPORT_PRIORITIES, SUPPORT_SLA, type SupportPriority, type SupportTicket } from '../../../contract/cloud';
import type { OperationOutput } from '../../../contract/ipc';
import { useAction, useQuery } from '../api/hooks';
import { formatDateTime } from '../format/format';
import { api, useOffice } from '../state/store';
import { Card, PageHead } from '../ui/Card';
import { ErrorNotice, toShownError, type ShownError } from '../ui/ErrorNotice';
import { allowed, formProblems, fromDataUrl, overdue, screenshotProblem, SCREENSHOT_TYPES, type ScreenshotType } from './support-rules';

const STATUS_BADGE: Record<SupportTicket['status'], string> = { open: 'info', in_progress: 'info', waiting_for_customer: 'warn', resolved: 'ok', closed: '' };
const PRIORITY_BADGE: Record<SupportPriority, string> = { critical: 'danger', high: 'warn', medium: 'info', low: '' };
const PRE = { maxHeight: 240, overflow: 'auto', whiteSpace: 'pre-wrap', fontSize: 12, margin: 0, padding: 8, background: '#f6f8fa', borderRadius: 6 } as const;

export function Support() {
  const { t } = useTranslation();
  const q = useQuery('support.list', {}, { refreshOn: ['support_ticket'] });
  const [selected, setSelected] = useState<string | null>(null);
  // null: the form shows by itself while there is no request yet.
  const [formOpen, setFormOpen] = useState<boolean | null>(null);
  const items = q.data?.items ?? [];
  const showForm = formOpen ?? (q.data !== null && items.length === 0);
  const current = items.find((x) => x.id === selected) ?? null;
  return (
    <div className="page" data-testid="screen-support">
      <PageHead
        title={t('support.title')}
        sub={t('support.subtitle')}
        actions={
          <button className="btn btn-primary" aria-expanded={showForm} aria-controls="support-form" onClick={() => setFormOpen(!showForm)} data-testid="support-new">
            {showForm ? t('support.hideForm') : t('support.newTicket')}
          </button>
        }
      />
      {showForm && (
        <NewRequest
          onSent={(tk) => {
            setFormOpen(false);
            setSelected(tk.id);
          }}
        />
      )}
      <Card title={t('support.tickets')} testId="support-tickets">
        {q.error && <ErrorNotice error={q.error} />}
        {q.data && items.length === 0 && <p className="muted">{t('support.noTickets')}</p>}
        {items.length > 0 && <Tickets items={items} selected={selected} onSelect={setSelected} />}
      </Card>
      {current && <TicketDetail ticket={current} onClose={() => setSelected(null)} />}
      <Doctor />
    </div>
  );
}

function slaText(t: (k: string, o?: Record<string, unknown>) => string, p: SupportPriority): string {
  const s = SUPPORT_SLA[p];
  const hours = (count: number) => t(s.clock === '24x7' ? 'support.sla.clock' : 'support.sla.business', { count });
  return t('support.sla.line', { response: hours(s.responseHours), resolve: hours(s.resolveHours) });
}

function Due({ at, late, done }: { at: string; late: boolean; done: string | null }) {
  const { t } = useTranslation();
  return (
    <span className="nowrap">
      {formatDateTime(at)}
      {done && <span className="faint" style={{ display: 'block' }}>{t('support.answered', { time: formatDateTime(done) })}</span>}
      {late && <span className="badge danger" style={{ marginLeft: 6 }} data-testid="sla-overdue">{t('support.overdue')}</span>}
    </span>
  );
}

function Tickets({ items, selected, onSelect }: { items: SupportTicket[]; selected: string | null; onSelect(id: string): void }) {
  const { t } = useTranslation();
  const now = new Date();
  return (
    <table className="table" data-testid="support-list">
      <thead>
        <tr>
          <th>{t('support.number')}</th>
          <th>{t('support.subject')}</th>
          <th>{t('support.priority')}</th>
          <th>{t('support.status')}</th>
          <th>{t('support.responseDue')}</th>
          <th>{t('support.resolveDue')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((tk) => {
          const late = overdue(tk, now);
          return (
            <tr key={tk.id} aria-current={tk.id === selected ? 'true' : undefined} data-testid="support-row" data-number={tk.number}>
              <td className="nowrap">
                <button className="btn btn-sm mono" onClick={() => onSelect(tk.id)} aria-label={t('support.open', { number: tk.number })}>{tk.number}</button>
              </td>
              <td>{tk.subject}</td>
              <td><span className={`badge ${PRIORITY_BADGE[tk.priority]}`}>{t(`support.prio.${tk.priority}`)}</span></td>
              <td><span className={`badge ${STATUS_BADGE[tk.status]}`} data-testid="support-status">{t(`support.statuses.${tk.status}`)}</span></td>
              <td><Due at={tk.sla.responseDueAt} late={late.response} done={tk.sla.firstResponseAt} /></td>
              <td><Due at={tk.sla.resolveDueAt} late={late.resolve} done={tk.sla.resolvedAt} /></td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

type Screenshot = { mediaType: ScreenshotType; base64: string };

/** One frame of this tab, through the browser's screen capture (the user confirms in Chromium's own prompt). */
async function captureThisWindow(): Promise<Screenshot | null> {
  const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false, preferCurrentTab: true } as DisplayMediaStreamOptions);
  try {
    const video = document.createElement('video');
    video.srcObject = stream;
    video.muted = true;
    await video.play();
    await new Promise((r) => requestAnimationFrame(r));
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')?.drawImage(video, 0, 0);
    const png = fromDataUrl(canvas.toDataURL('image/png'));
    // A large screen as PNG may pass the 2 MiB limit: JPEG then.
    if (png && screenshotProblem({ type: png.mediaType, size: (png.base64.length * 3) / 4 }) === null) return png;
    return fromDataUrl(canvas.toDataURL('image/jpeg', 0.8));
  } finally {
    for (const track of stream.getTracks()) track.stop();
  }
}
const canCapture = () => typeof window !== 'undefined' && !window.kense && typeof navigator.mediaDevices?.getDisplayMedia === 'function';

function NewRequest({ onSent }: { onSent(t: SupportTicket): void }) {
  const { t } = useTranslation();
  const toast = useOffice((s) => s.toast);
  const ids = useId();
  // Made once per request: a retry after OFFLINE reuses it, so kense never gets the request twice.
  const [clientId, setClientId] = useState(() => crypto.randomUUID());
  const [priority, setPriority] = useState<SupportPriority>('medium');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [shot, setShot] = useState<Screenshot | null>(null);
  const [shotError, setShotError] = useState<string | null>(null);
  const [attachDoctorReport, setDoctor] = useState(false);
  const [attachLogs, setLogs] = useState(false);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const { error, run } = useAction();
  const subjectRef = useRef<HTMLInputElement>(null);
  const descriptionRef = useRef<HTMLTextAreaElement>(null);
  const problems = touched ? formProblems({ subject, description }) : {};

  const pick = (file: File | undefined) => {
    setShotError(null);
    if (!file) return;
    const problem = screenshotProblem(file);
    if (problem) return setShotError(t(problem === 'type' ? 'support.screenshotType' : 'support.screenshotSize'));
    const reader = new FileReader();
    reader.onload = () => setShot(fromDataUrl(String(reader.result)));
    reader.readAsDataURL(file);
  };
  const capture = async () => {
    setShotError(null);
    try {
      const s = await captureThisWindow();
      if (s) setShot(s);
    } catch {
      setShotError(t('support.captureFailed'));
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    const p = formProblems({ subject, description });
    if (p.subject) return subjectRef.current?.focus();
    if (p.description) return descriptionRef.current?.focus();
    setBusy(true);
    void run(async () => {
      const tk = await api().invoke('support.create', { clientId, priority, subject, description, screenshot: shot, attachDoctorReport, attachLogs });
      toast({ kind: 'ok', title: t('support.sent', { number: tk.number }) });
      setClientId(crypto.randomUUID());
      onSent(tk);
    }).finally(() => setBusy(false));
  };

  return (
    <form id="support-form" className="card card-pad stack" aria-labelledby={`${ids}-h`} onSubmit={submit} noValidate data-testid="support-form">
      <h2 id={`${ids}-h`}>{t('support.newTicket')}</h2>
      <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0 }}>
        <legend className="label">{t('support.priority')}</legend>
        <div className="grid grid-2">
          {SUPPORT_PRIORITIES.map((p) => (
            <label key={p} className="choice">
              <input type="radio" name={`${ids}-priority`} value={p} checked={priority === p} onChange={() => setPriority(p)} data-testid={`support-priority-${p}`} />
              <span>
                <strong>{t(`support.prio.${p}`)}</strong>
                <span className="hint" style={{ display: 'block' }}>{t(`support.prioWhen.${p}`)}</span>
                <span className="hint" style={{ display: 'block' }}>{slaText(t, p)}</span>
              </span>
            </label>
          ))}
        </div>
        <p className="hint">{t('support.sla.note')}</p>
      </fieldset>
      <Field id={`${ids}-subject`} label={t('support.subject')} error={problems.subject ? t('support.subjectShort') : null}>
        <input
          ref={subjectRef} id={`${ids}-subject`} className="input" value={subject} maxLength={200} onChange={(e) => setSubject(e.target.value)} required
          aria-invalid={problems.subject ? true : undefined} aria-describedby={problems.subject ? `${ids}-subject-err` : undefined} data-testid="support-subject"
        />
      </Field>
      <Field id={`${ids}-description`} label={t('support.description')} hint={t('support.descriptionHint')} error={problems.description ? t('support.descriptionShort') : null}>
        <textarea
          ref={descriptionRef} id={`${ids}-description`} className="input" rows={5} value={description} maxLength={10_000} onChange={(e) => setDescription(e.target.value)} required
          aria-invalid={problems.description ? true : undefined} aria-describedby={[`${ids}-description-hint`, problems.description ? `${ids}-description-err` : ''].join(' ').trim()} data-testid="support-description"
        />
      </Field>
      <Field id={`${ids}-shot`} label={t('support.screenshot')} hint={t('support.screenshotHint')} error={shotError}>
        <div className="row">
          {/* The native file input speaks the browser's language: it is kept for keyboards and screen readers, and a
              button-like label in the office's language stands for it. */}
          <input id={`${ids}-shot`} type="file" className="sr-only file-proxy" accept={SCREENSHOT_TYPES.join(',')} onChange={(e) => { pick(e.target.files?.[0]); e.target.value = ''; }} aria-describedby={`${ids}-shot-hint`} data-testid="support-screenshot" />
          <label htmlFor={`${ids}-shot`} className="btn btn-sm">{t('support.screenshotChoose')}</label>
          {canCapture() && <button type="button" className="btn btn-sm" onClick={() => void capture()}>{t('support.screenshotCapture')}</button>}
        </div>
        {shot && (
          <div className="row">
            <img src={`data:${shot.mediaType};base64,${shot.base64}`} alt={t('support.screenshotPreview')} style={{ maxWidth: 320, maxHeight: 200, border: '1px solid #d0d7de', borderRadius: 6 }} data-testid="support-screenshot-preview" />
            <button type="button" className="btn btn-sm" onClick={() => setShot(null)}>{t('support.screenshotRemove')}</button>
          </div>
        )}
      </Field>
      <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0 }}>
        <legend className="label">{t('support.consent')}</legend>
        <Consent checked={attachDoctorReport} onChange={setDoctor} label={t('support.attachDoctor')} hint={t('support.attachDoctorHint')} testId="support-attach-doctor" />
        <Consent checked={attachLogs} onChange={setLogs} label={t('support.attachLogs')} hint={t('support.attachLogsHint')} testId="support-attach-logs" />
        <Preview attachDoctorReport={attachDoctorReport} attachLogs={attachLogs} />
      </fieldset>
      {error && (
        <>
          <ErrorNotice error={error} />
          {error.code === 'OFFLINE' && <p className="hint" data-testid="support-kept">{t('support.kept')}</p>}
        </>
      )}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="support-send">{busy ? t('support.sending') : t('support.send')}</button>
      </div>
    </form>
  );
}

function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error: string | null; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <span className="hint" id={`${id}-hint`}>{hint}</span>}
      {error && <span className="field-error" id={`${id}-err`} role="alert">{error}</span>}
    </div>
  );
}

function Consent({ checked, onChange, label, hint, testId }: { checked: boolean; onChange(v: boolean): void; label: string; hint: string; testId: string }) {
  return (
    <label className="choice">
      <input type="checkbox" className="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
      <span>
        <strong>{label}</strong>
        <span className="hint" style={{ display: 'block' }}>{hint}</span>
      </span>
    </label>
  );
}

/** "What will be sent": the exact redacted texts core would attach with this consent. */
function Preview(consent: { attachDoctorReport: boolean; attachLogs: boolean }) {
  const { t } = useTranslation();
  const [data, setData] = useState<OperationOutput<'support.preview'> | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const key = `${consent.attachDoctorReport}:${consent.attachLogs}`;
  useEffect(() => {
    setData(null);
    setError(null);
    if (!open || key === 'false:false') return;
    let live = true;
    api().invoke('support.preview', consent).then((d) => live && setData(d), (e: unknown) => live && setError(toShownError(e)));
    return () => {
      live = false;
    };
  }, [open, key]);
  return (
    <div className="stack">
      <button type="button" className="btn btn-sm" style={{ alignSelf: 'flex-start' }} aria-expanded={open} onClick={() => setOpen(!open)} data-testid="support-preview">
        {t('support.previewShow')}
      </button>
      {open && (
        <section aria-label={t('support.preview')} className="stack" data-testid="support-preview-body">
          {error && <ErrorNotice error={error} />}
          {key === 'false:false' && <p className="hint">{t('support.previewNothing')}</p>}
          {key !== 'false:false' && !data && !error && <p className="hint">{t('support.previewLoading')}</p>}
          {data?.attachments.map((a) => (
            <div key={a.kind} className="stack" style={{ gap: 4 }}>
              <span className="label mono">{a.name}</span>
              <pre style={PRE} tabIndex={0} data-testid={`support-preview-${a.kind}`}>{a.text}</pre>
            </div>
          ))}
        </section>
      )}
    </div>
  );
}

function TicketDetail({ ticket: tk, onClose }: { ticket: SupportTicket; onClose(): void }) {
  const { t } = useTranslation();
  const can = allowed(tk);
  const late = overdue(tk, new Date());
  return (
    <Card title={`${tk.number} · ${tk.subject}`} actions={<button className="btn btn-sm" onClick={onClose}>{t('common.close')}</button>} bodyClassName="stack" testId="support-ticket">
      <dl className="kv">
        <dt>{t('support.status')}</dt>
        <dd>
          <span className={`badge ${STATUS_BADGE[tk.status]}`} data-testid="support-ticket-status">{t(`support.statuses.${tk.status}`)}</span>
          {tk.reopened > 0 && <span className="faint"> · {t('support.reopened', { count: tk.reopened })}</span>}
        </dd>
        <dt>{t('support.priority')}</dt>
        <dd>{t(`support.prio.${tk.priority}`)} <span className="hint">({slaText(t, tk.priority)})</span></dd>
        <dt>{t('support.created')}</dt>
        <dd>{formatDateTime(tk.createdAt)} · {tk.authorName}</dd>
        <dt>{t('support.responseDue')}</dt>
        <dd><Due at={tk.sla.responseDueAt} late={late.response} done={tk.sla.firstResponseAt} /></dd>
        <dt>{t('support.resolveDue')}</dt>
        <dd><Due at={tk.sla.resolveDueAt} late={late.resolve} done={tk.sla.resolvedAt} /></dd>
        {tk.attachments.length > 0 && (
          <>
            <dt>{t('support.attachments')}</dt>
            <dd className="mono">{tk.attachments.map((a) => a.name).join(', ')}</dd>
          </>
        )}
        {tk.rating && (
          <>
            <dt>{t('support.rated')}</dt>
            <dd data-testid="support-rating">{t('support.rating', { count: tk.rating.score })}{tk.rating.comment ? ` · ${tk.rating.comment}` : ''}</dd>
          </>
        )}
      </dl>
      <p style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{tk.description}</p>
      <h3 className="label">{t('support.conversation')}</h3>
      {tk.replies.length === 0 ? (
        <p className="muted">{t('support.noReplies')}</p>
      ) : (
        <ol className="timeline" data-testid="support-replies">
          {tk.replies.map((r) => (
            <li key={r.id}>
              <span className="faint">{formatDateTime(r.at)}</span>
              <div>
                <strong>{r.from === 'support' ? `${t('support.fromSupport')} · ${r.authorName}` : r.authorName}</strong>
                <p style={{ whiteSpace: 'pre-wrap', margin: '2px 0 0' }}>{r.body}</p>
              </div>
            </li>
          ))}
        </ol>
      )}
      {can.reply && <TextAction key={`reply-${tk.id}`} label={t('support.message')} button={t('support.sendMessage')} min={1} send={(body) => api().invoke('support.reply', { id: tk.id, body })} testId="support-reply" />}
      {can.reopen && (
        <TextAction key={`reopen-${tk.id}`} label={t('support.reopenReason')} hint={t('support.reopenHint')} button={t('support.reopen')} min={3} send={(reason) => api().invoke('support.reopen', { id: tk.id, reason })} testId="support-reopen" />
      )}
      {can.rate && <Rate key={`rate-${tk.id}`} id={tk.id} />}
    </Card>
  );
}

/** A text and a button that sends it (reply, reopen): the text stays when sending fails. */
function TextAction({ label, hint, button, min, send, testId }: { label: string; hint?: string; button: string; min: number; send(text: string): Promise<unknown>; testId: string }) {
  const id = useId();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const { error, run } = useAction();
  const ok = text.trim().length >= min;
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (!ok) return;
        setBusy(true);
        void run(async () => {
          await send(text);
          setText('');
        }).finally(() => setBusy(false));
      }}
    >
      <Field id={id} label={label} hint={hint} error={null}>
        <textarea id={id} className="input" rows={3} value={text} maxLength={10_000} onChange={(e) => setText(e.target.value)} aria-describedby={hint ? `${id}-hint` : undefined} data-testid={`${testId}-text`} />
      </Field>
      {error && <ErrorNotice error={error} />}
      <button type="submit" className="btn" style={{ alignSelf: 'flex-start' }} disabled={busy || !ok} data-testid={`${testId}-send`}>{button}</button>
    </form>
  );
}

function Rate({ id }: { id: string }) {
  const { t } = useTranslation();
  const ids = useId();
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const { error, run } = useAction();
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (score !== null) void run(() => api().invoke('support.rate', { id, score, comment: comment.trim() || null }));
      }}
    >
      <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0 }}>
        <legend className="label">{t('support.rate')}</legend>
        <div className="row" role="radiogroup" aria-label={t('support.rate')}>
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} className="choice">
              <input type="radio" name={`${ids}-score`} value={n} checked={score === n} onChange={() => setScore(n)} />
              <span>{t('support.rating', { count: n })}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <Field id={`${ids}-comment`} label={t('support.rateComment')} error={null}>
        <textarea id={`${ids}-comment`} className="input" rows={2} value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} />
      </Field>
      {error && <ErrorNotice error={error} />}
      <button type="submit" className="btn" style={{ alignSelf: 'flex-start' }} disabled={score === null}>{t('support.rateSend')}</button>
    </form>
  );
}

// ── the doctor ──────────────────────────────────────────────────────────────────────────────────

const SEVERITY: Record<string, string> = { ok: 'ok', info: 'info', warning: 'warn', problem: 'danger' };

function Doctor() {
  const { t } = useTranslation();
  const [report, setReport] = useState<OperationOutput<'doctor.run'> | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);
  // The check is quick and local (NCALayer, key files, clock): run it when the screen opens.
  useEffect(() => {
    void run();
  }, []);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setReport(await api().invoke('doctor.run'));
    } catch (e) {
      setError(toShownError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card card-pad stack" aria-labelledby="h-doctor">
      <div className="row">
        <div className="grow">
          <h2 id="h-doctor">{t('support.doctor')}</h2>
          <p className="hint">{t('support.doctorHint')}</p>
        </div>
        <button className="btn" onClick={() => void run()} disabled={busy} data-testid="run-doctor">{busy ? t('support.checking') : t('support.runDoctor')}</button>
      </div>
      {error && <ErrorNotice error={error} />}
      {report?.healthy && <div className="notice ok"><div className="grow">{t('support.healthy')}</div></div>}
      {report && <Findings items={report.findings.filter((f) => f.severity !== 'ok')} />}
      {report && report.findings.some((f) => f.severity === 'ok') && (
        <details>
          <summary className="muted">{t('support.okChecks', { count: report.findings.filter((f) => f.severity === 'ok').length })}</summary>
          <Findings items={report.findings.filter((f) => f.severity === 'ok')} />
        </details>
      )}
    </section>
  );
}

type Finding = OperationOutput<'doctor.run'>['findings'][number];
const ORDER: Record<Finding['severity'], number> = { problem: 0, warning: 1, info: 2, ok: 3 };

function Findings({ items }: { items: Finding[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <ul className="findings" data-testid="doctor-findings">
      {[...items].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]).map((f) => (
        <li key={f.id}>
          <span className={`badge ${SEVERITY[f.severity]}`}>{t(`support.severity.${f.severity}`)}</span>
          <span>
            {f.message}
            {f.fix && <span className="hint" style={{ display: 'block' }}>{f.fix}</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}
