// Support requests to kense: the request with its SLA due times, replies from the user and from kense support,
// attachments, reopen and rating. Every change is one company transaction that publishes the request on the feed
// (entity support_ticket, scope `support`: its author, and the company's first manager).
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import { KenseError } from '../../../contract/errors';
import { SUPPORT_SLA, supportDue, type SupportTicket, type SupportPriority } from '../../../contract/cloud/support';
import type { zCreateSupportTicketRequest } from '../../../contract/cloud/support';
import type { z } from 'zod';
import type { Database, SupportTicketsTable } from '../db/schema';
import { kzIso, kzIsoOrNull } from '../clock';
import { sha256Hex } from '../canonical-json';
import { publish, type FeedItem } from '../feed';
import { notify } from './notifications';

type Db = Kysely<Database>;
type TicketRow = Selectable<SupportTicketsTable>;

/** The file is what its media type says: PNG or JPEG magic bytes. */
export function isImage(bytes: Uint8Array, mediaType: 'image/png' | 'image/jpeg'): boolean {
  if (mediaType === 'image/png') return bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47 && bytes[4] === 0x0d && bytes[5] === 0x0a && bytes[6] === 0x1a && bytes[7] === 0x0a;
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

export async function ticketView(db: Db, t: TicketRow): Promise<SupportTicket> {
  const [author, replies, files] = await Promise.all([
    db.selectFrom('users').select('full_name').where('id', '=', t.author_id).executeTakeFirst(),
    db.selectFrom('support_replies').selectAll().where('ticket_id', '=', t.id).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('support_attachments').select(['id', 'kind', 'name', 'media_type', 'size', 'sha256']).where('ticket_id', '=', t.id).orderBy('name').execute(),
  ]);
  const context = JSON.parse(t.context) as { appVersion?: string | null; platform?: string | null };
  return {
    id: t.id, version: t.version, number: t.number, authorId: t.author_id, authorName: author?.full_name ?? '', priority: t.priority as SupportPriority,
    subject: t.subject, description: t.description, status: t.status as SupportTicket['status'], createdAt: kzIso(t.created_at), updatedAt: kzIso(t.updated_at),
    sla: {
      clock: SUPPORT_SLA[t.priority as SupportPriority].clock, responseDueAt: kzIso(t.response_due_at), resolveDueAt: kzIso(t.resolve_due_at),
      firstResponseAt: kzIsoOrNull(t.first_response_at), resolvedAt: kzIsoOrNull(t.resolved_at),
    },
    attachments: files.map((f) => ({ id: f.id, kind: f.kind as 'logs', name: f.name, mediaType: f.media_type, size: f.size, sha256: f.sha256 })),
    replies: replies.map((r) => ({ id: r.id, from: r.from_side as 'user', authorName: r.author_name, body: r.body, at: kzIso(r.created_at) })),
    reopened: t.reopened,
    rating: t.rating_score !== null && t.rated_at ? { score: t.rating_score, comment: t.rating_comment, at: kzIso(t.rated_at) } : null,
    context: { appVersion: context.appVersion ?? null, platform: context.platform ?? null },
  };
}

const ticketFeed = (t: TicketRow, view: SupportTicket): FeedItem => ({
  entity: 'support_ticket', id: t.id, version: t.version, op: 'upsert', scope: 'support', branchId: null, userId: t.author_id, data: view,
});

async function publishTicket(db: Db, t: TicketRow): Promise<SupportTicket> {
  const view = await ticketView(db, t);
  await publish(db, t.company_id, [ticketFeed(t, view)]);
  return view;
}

/** The request, if the caller may see it (its author, or the company's first manager), else NOT_FOUND. */
export async function ticketFor(db: Db, viewer: { companyId: string; userId: string; role: string }, id: string): Promise<TicketRow> {
  const t = await db.selectFrom('support_tickets').selectAll().where('company_id', '=', viewer.companyId).where('id', '=', id).executeTakeFirst();
  if (!t || (t.author_id !== viewer.userId && viewer.role !== 'first_manager')) throw new KenseError('NOT_FOUND', { entity: 'support_ticket', id });
  return t;
}

export async function createTicket(db: Db, o: { id: string; companyId: string; authorId: string; req: z.infer<typeof zCreateSupportTicketRequest>; now: Date }): Promise<SupportTicket> {
  const { req, now } = o;
  const screenshot = req.screenshot ? new Uint8Array(Buffer.from(req.screenshot.base64, 'base64')) : null;
  if (screenshot && req.screenshot && !isImage(screenshot, req.screenshot.mediaType)) {
    throw new KenseError('INVALID_INPUT', { fields: [{ path: 'body.screenshot.base64', problem: 'file_type', message: 'not a PNG or JPEG image' }] });
  }
  const sla = SUPPORT_SLA[req.priority];
  const seq = await sql<{ n: number }>`select nextval('support_ticket_number')::int as n`.execute(db);
  const row = await db
    .insertInto('support_tickets')
    .values({
      id: o.id, company_id: o.companyId, number: `KS-${String(seq.rows[0].n).padStart(6, '0')}`, author_id: o.authorId, priority: req.priority,
      subject: req.subject, description: req.description, status: 'open', created_at: now, updated_at: now,
      response_due_at: supportDue(now, sla.responseHours, sla.clock), resolve_due_at: supportDue(now, sla.resolveHours, sla.clock),
      first_response_at: null, resolved_at: null, closed_at: null, rating_score: null, rating_comment: null, rated_at: null,
      context: JSON.stringify(req.context),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const files = [
    ...(screenshot && req.screenshot ? [{ kind: 'screenshot', name: `screenshot.${req.screenshot.mediaType === 'image/png' ? 'png' : 'jpg'}`, mediaType: req.screenshot.mediaType, bytes: screenshot }] : []),
    ...req.attachments.map((a) => ({ kind: a.kind, name: a.name, mediaType: 'text/plain; charset=utf-8', bytes: new Uint8Array(Buffer.from(a.text, 'utf8')) })),
  ];
  for (const f of files) {
    await db.insertInto('support_attachments').values({ id: randomUUID(), ticket_id: row.id, company_id: o.companyId, kind: f.kind, name: f.name, media_type: f.mediaType, size: f.bytes.length, sha256: sha256Hex(f.bytes), data: f.bytes }).execute();
  }
  return publishTicket(db, row);
}

async function save(db: Db, t: TicketRow, set: Partial<Omit<TicketRow, 'id' | 'version'>>, now: Date): Promise<SupportTicket> {
  const u = await db.updateTable('support_tickets').set({ ...set, updated_at: now, version: t.version + 1 }).where('id', '=', t.id).returningAll().executeTakeFirstOrThrow();
  return publishTicket(db, u);
}

const OPEN_FOR_REPLIES = ['open', 'in_progress', 'waiting_for_customer'];

/** The user writes: allowed while the request is not resolved or closed; an answer kense waited for moves it on. */
export async function userReply(db: Db, t: TicketRow, author: { id: string; name: string }, body: string, now: Date): Promise<SupportTicket> {
  if (!OPEN_FOR_REPLIES.includes(t.status)) throw new KenseError('SUPPORT_TICKET_STATE', { status: t.status, action: 'reply' });
  await db.insertInto('support_replies').values({ id: randomUUID(), ticket_id: t.id, company_id: t.company_id, from_side: 'user', author_user_id: author.id, author_name: author.name, body, created_at: now }).execute();
  return save(db, t, { status: t.status === 'waiting_for_customer' ? 'in_progress' : t.status }, now);
}

/** Reopened: open again, the SLA clock restarts from now. */
export async function reopen(db: Db, t: TicketRow, author: { id: string; name: string }, reason: string, now: Date): Promise<SupportTicket> {
  if (t.status !== 'resolved' && t.status !== 'closed') throw new KenseError('SUPPORT_TICKET_STATE', { status: t.status, action: 'reopen' });
  const sla = SUPPORT_SLA[t.priority as SupportPriority];
  await db.insertInto('support_replies').values({ id: randomUUID(), ticket_id: t.id, company_id: t.company_id, from_side: 'user', author_user_id: author.id, author_name: author.name, body: reason, created_at: now }).execute();
  return save(db, t, {
    status: 'open', reopened: t.reopened + 1, resolved_at: null, closed_at: null, first_response_at: null,
    response_due_at: supportDue(now, sla.responseHours, sla.clock), resolve_due_at: supportDue(now, sla.resolveHours, sla.clock),
  }, now);
}

/** Rated once resolved (or closed); rating a resolved request closes it. */
export async function rate(db: Db, t: TicketRow, score: number, comment: string | null, now: Date): Promise<SupportTicket> {
  if (t.status !== 'resolved' && t.status !== 'closed') throw new KenseError('SUPPORT_TICKET_STATE', { status: t.status, action: 'rate' });
  return save(db, t, { rating_score: score, rating_comment: comment, rated_at: now, status: 'closed', closed_at: t.closed_at ?? now }, now);
}

/** kense support answers and may move the request on; the author is notified. */
export async function supportReply(db: Db, t: TicketRow, o: { body: string; status?: 'in_progress' | 'waiting_for_customer' | 'resolved' | 'closed'; agentName: string }, now: Date): Promise<SupportTicket> {
  if (t.status === 'closed' && o.status !== 'closed' && o.status !== undefined) throw new KenseError('SUPPORT_TICKET_STATE', { status: t.status, action: 'reply' });
  await db.insertInto('support_replies').values({ id: randomUUID(), ticket_id: t.id, company_id: t.company_id, from_side: 'support', author_user_id: null, author_name: o.agentName, body: o.body, created_at: now }).execute();
  const status = o.status ?? (t.status === 'open' ? 'in_progress' : t.status);
  const view = await save(db, t, {
    status,
    first_response_at: t.first_response_at ?? now,
    ...(status === 'resolved' ? { resolved_at: now } : {}),
    ...(status === 'closed' ? { closed_at: now, resolved_at: t.resolved_at ?? now } : {}),
  }, now);
  await notify(db, t.company_id, [t.author_id], { kind: 'support_reply', title: `Ответ поддержки kense по запросу ${t.number}`, body: o.body.slice(0, 200), link: { entity: 'support_ticket', id: t.id } }, now);
  return view;
}
