// Support requests to kense: the list and one request from the cache (the feed brings `support_ticket` to its author
// and the first manager); create, reply, reopen and rate go to the cloud at once (OFFLINE when it cannot be
// reached — nothing is queued: a request is only useful when kense has it) and the answer is written into the cache
// so the office shows it without waiting for sync. The doctor report and recent log lines are attached only with the
// user's consent, and only after the secrets are removed.
import { SUPPORT_LIMITS, zSupportTicket, type SupportTicket } from '../../../contract/cloud';
import { KenseError } from '../../../contract/errors';
import type { CoreOperationName, Handlers, OperationOutput } from '../../../contract/ipc';
import type { Tokens } from '../cloud/client';
import type { Core, OpenProfile } from '../core';
import { redact } from '../support/redact';
import { stmts } from '../sync/apply';
import { kzIso } from '../time';
import { entities } from './cache';
import { runDoctor } from './doctor';

type SupportOp = Extract<CoreOperationName, `support.${string}`>;
type Attachment = OperationOutput<'support.preview'>['attachments'][number];

/** The doctor's report as plain text for kense support (with the sync state: most requests are about it). */
function doctorText(core: Core, p: OpenProfile, r: OperationOutput<'doctor.run'>): string {
  const s = p.engine.status();
  const lines = [
    `Kense Office ${core.o.appVersion} (${core.o.platform}), report made ${kzIso(core.now())}`,
    `Healthy: ${r.healthy ? 'yes' : 'no'}`,
    `NCALayer: ${r.ncalayer.status} at ${r.ncalayer.url}${r.ncalayer.version ? `, version ${r.ncalayer.version}` : ''}${r.ncalayer.product ? `, ${r.ncalayer.product}` : ''}`,
    `Key files found: ${r.keyFiles}`,
    `Sync: ${s.state}, online ${s.online ? 'yes' : 'no'}, last sync ${s.lastSyncAt ?? 'never'}, pending ${s.pendingMutations}, conflicts ${s.conflicts}, rejected ${s.rejected}` +
      `${s.stuck ? `, stuck since ${s.stuck.since}` : ''}${s.clockSkewSeconds !== null ? `, clock skew ${s.clockSkewSeconds} s` : ''}${s.lastError ? `, last error ${s.lastError.code}` : ''}`,
    '',
    'Findings:',
    ...r.findings.map((f) => `- [${f.severity}] ${f.id}: ${f.message}${f.fix ? ` — ${f.fix}` : ''}`),
  ];
  return lines.join('\n');
}

/** Cut to the cloud's limit: a report keeps its beginning, logs keep their newest end. */
function clip(text: string, keep: 'start' | 'end'): string {
  const max = SUPPORT_LIMITS.attachmentChars;
  if (text.length <= max) return text;
  const mark = '[…cut…]\n';
  return keep === 'start' ? text.slice(0, max - mark.length) + mark : mark + text.slice(text.length - max + mark.length);
}

/** What core attaches with the user's consent, secrets removed (the session's live tokens among them). */
export async function supportAttachments(core: Core, p: OpenProfile, consent: { attachDoctorReport: boolean; attachLogs: boolean }): Promise<Attachment[]> {
  const tokens = p.store.meta<Tokens>('tokens');
  const known = [tokens?.accessToken, tokens?.refreshToken];
  const out: Attachment[] = [];
  if (consent.attachDoctorReport) {
    out.push({ kind: 'doctor_report', name: 'doctor-report.txt', text: clip(redact(doctorText(core, p, await runDoctor(core)), known), 'start') });
  }
  if (consent.attachLogs) {
    const lines = core.recentLog.all();
    out.push({ kind: 'logs', name: 'recent-log.txt', text: clip(redact(lines.length ? lines.join('\n') : '(no log lines since the app started)', known), 'end') });
  }
  return out;
}

/** The cloud's answer goes into the cache at once (sync later brings the same version or a newer one). */
async function remember(core: Core, p: OpenProfile, t: SupportTicket): Promise<SupportTicket> {
  const gen = p.store.meta<number>('generation') ?? 0;
  await p.store.tx(() => stmts(p.store).upsertEntity.run({ entity: 'support_ticket', id: t.id, version: t.version, data: JSON.stringify(t), gen }));
  core.events.emit('data.changed', { entities: ['support_ticket'], refs: null });
  p.engine.trigger();
  return t;
}

export function supportHandlers(core: Core): Handlers<SupportOp> {
  const open = () => core.require();
  const cached = (p: OpenProfile) => entities(core, p, 'support_ticket', zSupportTicket);
  return {
    'support.list': () => ({ items: cached(open()).sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.number.localeCompare(a.number))) }),
    'support.get': (i) => {
      const t = cached(open()).find((x) => x.id === i.id);
      if (!t) throw new KenseError('NOT_FOUND', { entity: 'support_ticket', id: i.id });
      return t;
    },
    'support.preview': async (i) => ({ attachments: await supportAttachments(core, open(), i) }),
    'support.create': async (i) => {
      const p = open();
      const attachments = await supportAttachments(core, p, i);
      const body = {
        id: i.clientId, priority: i.priority, subject: i.subject, description: i.description, screenshot: i.screenshot, attachments,
        context: { appVersion: core.o.appVersion.slice(0, 40), platform: core.o.platform },
      };
      const t = await p.client.call('supportTicketCreate', { body }).catch(async (e: unknown) => {
        // A retry of a request that did reach kense (its answer was lost) carries a fresher report and log: the cloud
        // refuses the reused id with another body. The request exists — that one is the answer, never a second.
        if (e instanceof KenseError && e.code === 'IDEMPOTENCY_KEY_REUSED') return p.client.call('supportTicketGet', { params: { id: i.clientId } });
        throw e;
      });
      core.o.log?.('support request sent', { number: t.number, priority: t.priority, attachments: attachments.map((a) => a.kind), screenshot: i.screenshot !== null });
      return remember(core, p, t);
    },
    'support.reply': async (i) => {
      const p = open();
      return remember(core, p, await p.client.call('supportTicketReply', { params: { id: i.id }, body: { body: i.body } }));
    },
    'support.reopen': async (i) => {
      const p = open();
      return remember(core, p, await p.client.call('supportTicketReopen', { params: { id: i.id }, body: { reason: i.reason } }));
    },
    'support.rate': async (i) => {
      const p = open();
      return remember(core, p, await p.client.call('supportTicketRate', { params: { id: i.id }, body: { score: i.score, comment: i.comment } }));
    },
  };
}
