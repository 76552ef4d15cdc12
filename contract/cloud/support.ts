// Support requests to kense from inside the app: priority with its SLA, description, an optional screenshot and
// attachments (the doctor report, recent logs — with the user's consent, no secrets), replies from the user and from
// kense support, reopen, rating. Visible to their author and to the company's first manager.
import { z } from 'zod';
import { isWorkingDay, type IsoDate } from '../kz-calendar';
import { zBase64, zClientId, zId, zTimestamp, zVersion } from './common';

export const SUPPORT_PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type SupportPriority = (typeof SUPPORT_PRIORITIES)[number];

/**
 * kense's support SLA — a product choice (no public source: typical terms of B2B SaaS support), in hours:
 *
 * | priority | when                                                          | first response      | resolution           |
 * |----------|---------------------------------------------------------------|---------------------|----------------------|
 * | critical | the company cannot sign, send or sync at all; data lost       | 1 hour, 24×7        | 8 hours, 24×7        |
 * | high     | an important function fails for some users, no workaround     | 4 business hours    | 16 business hours (2 working days) |
 * | medium   | a function is impaired, a workaround exists                   | 8 business hours (1 working day) | 40 business hours (5 working days) |
 * | low      | questions, wishes, cosmetic problems                          | 16 business hours (2 working days) | 80 business hours (10 working days) |
 *
 * Business hours: 09:00–18:00 Astana time (UTC+5) on Kazakh working days (contract/kz-calendar: weekends, public
 * holidays and moved days). Critical requests run on the calendar clock.
 */
export const SUPPORT_SLA: Record<SupportPriority, { responseHours: number; resolveHours: number; clock: '24x7' | 'business_hours' }> = {
  critical: { responseHours: 1, resolveHours: 8, clock: '24x7' },
  high: { responseHours: 4, resolveHours: 16, clock: 'business_hours' },
  medium: { responseHours: 8, resolveHours: 40, clock: 'business_hours' },
  low: { responseHours: 16, resolveHours: 80, clock: 'business_hours' },
};

const DAY_START = 9;
const DAY_END = 18;
const KZ_OFFSET_MS = 5 * 3600_000;

/** `hours` after `from` on the SLA's clock: calendar hours (24×7), or business hours (09–18, Kazakh working days). */
export function supportDue(from: Date, hours: number, clock: '24x7' | 'business_hours'): Date {
  if (clock === '24x7') return new Date(from.getTime() + hours * 3600_000);
  let left = hours * 3600_000;
  // Kazakhstan local time as a UTC date: day boundaries and hours read directly.
  let t = new Date(from.getTime() + KZ_OFFSET_MS);
  for (let guard = 0; left > 0 && guard < 10_000; guard++) {
    const day: IsoDate = t.toISOString().slice(0, 10);
    const start = Date.parse(`${day}T0${DAY_START}:00:00Z`);
    const end = Date.parse(`${day}T${DAY_END}:00:00Z`);
    if (!isWorkingDay(day) || t.getTime() >= end) {
      t = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000 + DAY_START * 3600_000);
      continue;
    }
    if (t.getTime() < start) t = new Date(start);
    const take = Math.min(left, end - t.getTime());
    t = new Date(t.getTime() + take);
    left -= take;
  }
  return new Date(t.getTime() - KZ_OFFSET_MS);
}

export const SUPPORT_STATUSES = ['open', 'in_progress', 'waiting_for_customer', 'resolved', 'closed'] as const;
export const zSupportStatus = z.enum(SUPPORT_STATUSES).meta({
  description: 'open: waiting for kense; in_progress: kense works on it; waiting_for_customer: kense asked the user; resolved: kense says it is solved (the user may reopen or rate); closed: done (rated, or closed by kense)',
});

/** Limits of what a request carries. */
export const SUPPORT_LIMITS = {
  /** Screenshot: PNG or JPEG, bytes before base64. */
  screenshotBytes: 2 * 1024 * 1024,
  /** Each text attachment (doctor report, logs), characters. */
  attachmentChars: 256 * 1024,
  attachments: 3,
  description: 10_000,
  reply: 10_000,
  /** The whole request body. */
  bodyBytes: 4 * 1024 * 1024,
} as const;

export const zSupportAttachmentInfo = z.object({
  id: zId,
  kind: z.enum(['screenshot', 'doctor_report', 'logs']),
  name: z.string(),
  mediaType: z.string(),
  size: z.int().min(0).meta({ description: 'Bytes' }),
  sha256: z.string(),
});

export const zSupportReply = z.object({
  id: zId,
  from: z.enum(['user', 'support']),
  authorName: z.string(),
  body: z.string(),
  at: zTimestamp,
});

export const zSupportTicket = z
  .object({
    id: zId,
    version: zVersion,
    number: z.string().meta({ description: 'The ticket number to quote to kense support, e.g. KS-000123' }),
    authorId: zId,
    authorName: z.string(),
    priority: z.enum(SUPPORT_PRIORITIES),
    subject: z.string(),
    description: z.string(),
    status: zSupportStatus,
    createdAt: zTimestamp,
    updatedAt: zTimestamp,
    sla: z.object({
      clock: z.enum(['24x7', 'business_hours']),
      responseDueAt: zTimestamp.meta({ description: 'First answer from kense due (from creation, or from the last reopening)' }),
      resolveDueAt: zTimestamp,
      firstResponseAt: zTimestamp.nullable(),
      resolvedAt: zTimestamp.nullable(),
    }),
    attachments: z.array(zSupportAttachmentInfo).meta({ description: 'Contents: GET /v1/support/tickets/:id/attachments/:attachmentId' }),
    replies: z.array(zSupportReply),
    reopened: z.int().min(0).meta({ description: 'How many times the user reopened it' }),
    rating: z.object({ score: z.int().min(1).max(5), comment: z.string().nullable(), at: zTimestamp }).nullable(),
    context: z.object({ appVersion: z.string().nullable(), platform: z.string().nullable() }),
  })
  .meta({ id: 'SupportTicket' });
export type SupportTicket = z.infer<typeof zSupportTicket>;

/** Text a request carries: no control characters but tab and line breaks. */
const zText = (max: number) => z.string().max(max).regex(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/, 'no control characters');

export const zCreateSupportTicketRequest = z.object({
  id: zClientId,
  priority: z.enum(SUPPORT_PRIORITIES).meta({ description: 'See SUPPORT_SLA: critical — nothing works for the company; high — an important function fails; medium — impaired, with a workaround; low — questions' }),
  subject: zText(200).trim().min(3),
  description: zText(SUPPORT_LIMITS.description).trim().min(10),
  screenshot: z
    .object({ mediaType: z.enum(['image/png', 'image/jpeg']), base64: zBase64.max(Math.ceil(SUPPORT_LIMITS.screenshotBytes / 3) * 4).meta({ description: 'At most 2 MiB of image' }) })
    .nullable()
    .default(null),
  attachments: z
    .array(z.object({ kind: z.enum(['doctor_report', 'logs']), name: zText(100).trim().min(1), text: zText(SUPPORT_LIMITS.attachmentChars) }))
    .max(SUPPORT_LIMITS.attachments)
    .default([])
    .meta({ description: 'The doctor report and recent logs, as text, attached with the user’s consent (the app removes secrets first)' }),
  context: z.object({ appVersion: z.string().max(40).nullable().default(null), platform: z.string().max(40).nullable().default(null) }).default({ appVersion: null, platform: null }),
});

export const zSupportReplyRequest = z.object({ body: zText(SUPPORT_LIMITS.reply).trim().min(1) });
export const zSupportReopenRequest = z.object({ reason: zText(2000).trim().min(3) });
export const zSupportRatingRequest = z.object({ score: z.int().min(1).max(5), comment: zText(2000).trim().nullable().default(null) });
export const zSupportAttachment = z.object({ id: zId, kind: z.enum(['screenshot', 'doctor_report', 'logs']), name: z.string(), mediaType: z.string(), base64: zBase64 });
export const zSupportTicketQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: zId.optional(),
  status: zSupportStatus.optional(),
});
export const zSupportAttachmentParams = z.object({ id: zId, attachmentId: zId });
