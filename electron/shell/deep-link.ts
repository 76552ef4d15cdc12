// kense:// links (from e-mail notifications and the web office): `kense://document/<kind>/<uuid>` opens a document,
// `kense://open` just brings the window forward. A link reaches the app as a command-line argument of a second
// instance (Windows, Linux) or as an open-url event (macOS); only one well-formed link is ever taken, the rest of
// the command line is ignored.
import { zDocumentRef, type DocumentRef } from '../../contract/ipc';

export const DEEP_LINK_SCHEME = 'kense';
const MAX_LINK = 300;

export type DeepLink = { kind: 'open' } | { kind: 'document'; ref: DocumentRef };

export function parseDeepLink(raw: unknown): DeepLink | null {
  if (typeof raw !== 'string' || raw.length > MAX_LINK) return null;
  // Matched on the raw text, not on a parsed URL: a parser would fold dot segments and escapes we want refused.
  if (/^kense:\/\/open\/?$/i.test(raw)) return { kind: 'open' };
  const m = /^kense:\/\/document\/([a-z_]{1,20})\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i.exec(raw);
  if (!m) return null;
  const ref = zDocumentRef.safeParse({ kind: m[1], id: m[2].toLowerCase() });
  return ref.success ? { kind: 'document', ref: ref.data } : null;
}

/** The link in a second instance's command line (Windows, Linux): the first argument that is a valid link. */
export function deepLinkFromArgv(argv: readonly string[]): DeepLink | null {
  for (const arg of argv) {
    if (!arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) continue;
    const link = parseDeepLink(arg);
    if (link) return link;
  }
  return null;
}

/**
 * Links that arrive before the window can take them (cold start from a link, core restarting) wait here; only the
 * latest matters — a user who clicked twice wants the second document.
 */
export class PendingDeepLink {
  private link: DeepLink | null = null;
  put(link: DeepLink): void {
    this.link = link;
  }
  take(): DeepLink | null {
    const l = this.link;
    this.link = null;
    return l;
  }
}
