// Which desktop notifications to show: new documents to sign and other server notifications that need the user,
// answer deadlines close at hand, a blocked tariff, a certificate about to expire. Each one once (a ledger of
// what was shown, kept across restarts), none while the user turned them off, and only urgent ones over a focused
// window (the office shows the rest itself).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { Locale } from '../../contract/errors';
import { DOCUMENT_KINDS, type DocumentKind, type DocumentRef, type EventPayload, type zHome } from '../../contract/ipc';
import { displayDate, text } from './texts';

export type Home = z.infer<typeof zHome>;
export type ServerNotification = EventPayload<'notification'>;

export interface DesktopNotice {
  /** What the ledger remembers: the same key is shown once. */
  key: string;
  title: string;
  body: string;
  /** Clicking opens this document (else just the window). */
  open: DocumentRef | null;
  /** Shown even over a focused window (security, a blocked tariff). */
  urgent: boolean;
}

/** Server notification kinds worth a desktop notification, and the urgent ones among them. */
const SHOWN = new Set<ServerNotification['kind']>([
  'act_incoming', 'service_act_issued', 'reconciliation_received', 'act_refused', 'act_signed', 'invoice_overdue',
  'subscription_blocked', 'subscription_unblocked', 'key_compromised', 'security', 'role_changed',
]);
const URGENT = new Set<ServerNotification['kind']>(['key_compromised', 'security', 'subscription_blocked']);
/** Answer deadlines this close (calendar days, inclusive) get a reminder. */
export const DEADLINE_REMINDER_DAYS = 2;
const MAX_TITLE = 120;
const MAX_BODY = 300;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function documentRef(link: ServerNotification['link']): DocumentRef | null {
  if (!link || !(DOCUMENT_KINDS as readonly string[]).includes(link.entity)) return null;
  return { kind: link.entity as DocumentKind, id: link.id };
}

export function noticeFromServer(n: ServerNotification): DesktopNotice | null {
  if (!SHOWN.has(n.kind) || n.readAt) return null;
  return { key: `server:${n.id}`, title: clip(n.title, MAX_TITLE), body: clip(n.body, MAX_BODY), open: documentRef(n.link), urgent: URGENT.has(n.kind) };
}

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Today in Kazakhstan (UTC+5), yyyy-mm-dd: deadlines are Kazakh calendar days. */
export function kazakhstanToday(now: Date): string {
  return new Date(now.getTime() + 5 * 3600_000).toISOString().slice(0, 10);
}

/** Reminders computed from the office's home data (works offline: it is core's cache). */
export function noticesFromHome(home: Home, today: string, locale: Locale): DesktopNotice[] {
  const out: DesktopNotice[] = [];
  const due = home.awaiting.items
    .filter((d) => d.awaitingSignature && d.deadline && d.deadline >= today && d.deadline <= addDays(today, DEADLINE_REMINDER_DAYS))
    .sort((a, b) => (a.deadline! < b.deadline! ? -1 : a.deadline! > b.deadline! ? 1 : 0));
  if (due.length) {
    const first = due[0];
    out.push({
      key: `deadline:${today}:${due.map((d) => d.id).sort().join(',')}`,
      title: text('deadlineTitle', locale),
      body: text('deadlineBody', locale, { date: displayDate(first.deadline!) }),
      open: { kind: first.kind, id: first.id },
      urgent: false,
    });
  }
  if (home.billing?.state === 'blocked') {
    out.push({ key: `tariff-blocked:${home.billing.blockedSince ?? ''}`, title: text('tariffBlockedTitle', locale), body: text('tariffBlockedBody', locale), open: null, urgent: true });
  }
  for (const c of home.certificates) {
    if (!c.warning || c.daysLeft < 0) continue;
    // One reminder per week of the countdown, not one a day.
    out.push({
      key: `cert:${c.serial}:${Math.floor(c.daysLeft / 7)}`,
      title: text('certExpiringTitle', locale),
      body: text('certExpiringBody', locale, { name: c.commonName ?? c.serial, days: c.daysLeft }),
      open: null,
      urgent: false,
    });
  }
  return out;
}

export function shouldShow(notice: DesktopNotice, o: { enabled: boolean; windowFocused: boolean }): boolean {
  return o.enabled && (notice.urgent || !o.windowFocused);
}

/** Keys of notifications already shown, in a small file (bounded; oldest dropped). */
export class NotificationLedger {
  private keys: string[] | null = null;
  constructor(
    readonly file: string,
    private readonly limit = 500,
  ) {}

  private async load(): Promise<string[]> {
    if (this.keys) return this.keys;
    try {
      const v = JSON.parse(await fs.readFile(this.file, 'utf8')) as unknown;
      this.keys = Array.isArray(v) ? v.filter((k): k is string => typeof k === 'string') : [];
    } catch {
      this.keys = [];
    }
    return this.keys;
  }

  /** True the first time a key is seen (and records it). */
  async firstTime(key: string): Promise<boolean> {
    const keys = await this.load();
    if (keys.includes(key)) return false;
    keys.push(key);
    if (keys.length > this.limit) keys.splice(0, keys.length - this.limit);
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(keys));
    await fs.rename(tmp, this.file);
    return true;
  }
}
