// The Support screen's rules, apart from React: what the form accepts (the cloud's limits), when an SLA time is
// overdue, and how a picked image becomes the screenshot a request carries.
import { SUPPORT_LIMITS, type SupportTicket } from '../../../contract/cloud';

export const SCREENSHOT_TYPES = ['image/png', 'image/jpeg'] as const;
export type ScreenshotType = (typeof SCREENSHOT_TYPES)[number];

/** Why a picked file cannot be the screenshot, or null when it can. */
export function screenshotProblem(file: { type: string; size: number }): 'type' | 'size' | null {
  if (!(SCREENSHOT_TYPES as readonly string[]).includes(file.type)) return 'type';
  if (file.size > SUPPORT_LIMITS.screenshotBytes) return 'size';
  return null;
}

/** The form's fields the cloud would refuse (same bounds as zCreateSupportTicketRequest). */
export function formProblems(f: { subject: string; description: string }): { subject?: 'short'; description?: 'short' } {
  return {
    ...(f.subject.trim().length < 3 ? { subject: 'short' as const } : {}),
    ...(f.description.trim().length < 10 ? { description: 'short' as const } : {}),
  };
}

const DONE = new Set<SupportTicket['status']>(['resolved', 'closed']);

/** Which SLA times have passed without what they promise: the first answer, the solution. */
export function overdue(t: Pick<SupportTicket, 'status' | 'sla'>, now: Date): { response: boolean; resolve: boolean } {
  const late = (due: string) => Date.parse(due) < now.getTime();
  return {
    response: !DONE.has(t.status) && t.sla.firstResponseAt === null && late(t.sla.responseDueAt),
    resolve: !DONE.has(t.status) && t.sla.resolvedAt === null && late(t.sla.resolveDueAt),
  };
}

/** What the user may do with a request in its state (the cloud's rules). */
export function allowed(t: Pick<SupportTicket, 'status' | 'rating'>): { reply: boolean; reopen: boolean; rate: boolean } {
  return { reply: !DONE.has(t.status), reopen: DONE.has(t.status), rate: t.status === 'resolved' || (t.status === 'closed' && t.rating === null) };
}

/** `data:image/png;base64,AAAA` → the media type and the base64 part. */
export function fromDataUrl(url: string): { mediaType: ScreenshotType; base64: string } | null {
  const m = /^data:(image\/(?:png|jpeg));base64,([A-Za-z0-9+/=]+)$/.exec(url);
  return m ? { mediaType: m[1] as ScreenshotType, base64: m[2] } : null;
}
