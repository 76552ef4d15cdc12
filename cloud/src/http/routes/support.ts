// Routes: support requests to kense (the user's side; kense support answers through its operator route).
import { KenseError } from '../../../../contract/errors';
import type { Call } from '../../context';
import { companyTx } from '../../feed';
import { createTicket, rate, reopen, ticketFor, ticketView, userReply } from '../../domain/support';
import { pageOf, type Handlers } from './types';
import { auditCall as act, createRoute } from './shared';

const viewer = (c: Call) => ({ companyId: c.principal.company.id, userId: c.principal.user.id, role: c.principal.viewer.role });
const me = (c: Call) => ({ id: c.principal.user.id, name: c.principal.user.full_name });

export const supportRoutes: Handlers<'supportTicketsList' | 'supportTicketGet' | 'supportTicketCreate' | 'supportTicketReply' | 'supportTicketReopen' | 'supportTicketRate' | 'supportAttachmentGet'> = {
  supportTicketsList: async (c) => {
    let q = c.s.db.selectFrom('support_tickets').selectAll().where('company_id', '=', c.principal.company.id);
    // Each user sees their own requests; the first manager sees the company's.
    if (c.principal.viewer.role !== 'first_manager') q = q.where('author_id', '=', c.principal.user.id);
    if (c.query.status) q = q.where('status', '=', c.query.status);
    if (c.query.after) q = q.where('id', '>', c.query.after);
    const rows = await q.orderBy('id').limit(c.query.limit).execute();
    const items = [];
    for (const r of rows) items.push(await ticketView(c.s.db, r));
    return pageOf(items, c.query.limit);
  },
  supportTicketGet: async (c) => ticketView(c.s.db, await ticketFor(c.s.db, viewer(c), c.params.id)),
  supportTicketCreate: async (c) =>
    createRoute(c, 'supportTicketCreate', {
      exists: async (trx, id) => !!(await trx.selectFrom('support_tickets').select('id').where('id', '=', id).executeTakeFirst()),
      create: (trx, id) => createTicket(trx, { id, companyId: c.principal.company.id, authorId: c.principal.user.id, req: c.body, now: c.s.clock.now() }),
      audit: (t) => act(c, 'support.create', `support_ticket:${t.id}`, { number: t.number, priority: t.priority, attachments: t.attachments.map((a) => a.kind) }),
    }),
  supportTicketReply: async (c) => {
    const t = await companyTx(c.s, c.principal.company.id, async (trx) => userReply(trx, await ticketFor(trx, viewer(c), c.params.id), me(c), c.body.body, c.s.clock.now()));
    await act(c, 'support.reply', `support_ticket:${t.id}`, { number: t.number });
    return t;
  },
  supportTicketReopen: async (c) => {
    const t = await companyTx(c.s, c.principal.company.id, async (trx) => reopen(trx, await ticketFor(trx, viewer(c), c.params.id), me(c), c.body.reason, c.s.clock.now()));
    await act(c, 'support.reopen', `support_ticket:${t.id}`, { number: t.number, reopened: t.reopened });
    return t;
  },
  supportTicketRate: async (c) => {
    const t = await companyTx(c.s, c.principal.company.id, async (trx) => rate(trx, await ticketFor(trx, viewer(c), c.params.id), c.body.score, c.body.comment, c.s.clock.now()));
    await act(c, 'support.rate', `support_ticket:${t.id}`, { number: t.number, score: c.body.score });
    return t;
  },
  supportAttachmentGet: async (c) => {
    const t = await ticketFor(c.s.db, viewer(c), c.params.id);
    const f = await c.s.db.selectFrom('support_attachments').selectAll().where('ticket_id', '=', t.id).where('id', '=', c.params.attachmentId).executeTakeFirst();
    if (!f) throw new KenseError('NOT_FOUND', { entity: 'support_attachment', id: c.params.attachmentId });
    return { id: f.id, kind: f.kind as 'logs', name: f.name, mediaType: f.media_type, base64: Buffer.from(f.data).toString('base64') };
  },
};
