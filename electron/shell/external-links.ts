// The only URLs the app hands to the system browser (shell.openExternal): https on our own and НУЦ РК's sites,
// and mail to kense support. Everything else — other hosts, http, file:, custom schemes, credentials or ports in
// the URL, IP literals — is refused, so a compromised page cannot make the OS open a program or a phishing site.

/** Hosts (and their subdomains) that may be opened in the browser. */
export const EXTERNAL_HOSTS: readonly string[] = [
  'kense.app', // help, privacy, terms, status
  'pki.gov.kz', // НУЦ РК: NCALayer download, key renewal, test keys
];
/** Domains a mailto: link may address. */
export const MAIL_DOMAINS: readonly string[] = ['kense.app'];

const MAX_URL = 2048;

function hostAllowed(host: string, list: readonly string[]): boolean {
  return list.some((h) => host === h || host.endsWith(`.${h}`));
}

/** The URL to open (normalised by the URL parser), or null when it is not allowed. */
export function allowedExternalUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > MAX_URL || /[\s\0-\x1f]/.test(raw)) return null;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if (u.protocol === 'mailto:') {
    const to = decodeURIComponent(u.pathname).toLowerCase();
    const m = /^[a-z0-9._+-]+@([a-z0-9.-]+)$/.exec(to);
    return m && hostAllowed(m[1], MAIL_DOMAINS) && !u.search ? `mailto:${to}` : null;
  }
  if (u.protocol !== 'https:') return null;
  if (u.username || u.password || u.port) return null;
  // The parser lowercases and punycodes the host; an IP literal never matches a name below.
  if (!hostAllowed(u.hostname, EXTERNAL_HOSTS)) return null;
  return u.href;
}
