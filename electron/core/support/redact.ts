// What leaves the computer with a support request is first stripped of secrets: the live session tokens core holds,
// Authorization headers and bearer tokens, values named like secrets (password, token, secret, key, pin, TOTP,
// cookie…) in JSON, key=value and URL query form, JWTs, PEM blocks (keys, certificates) and long base64/hex blobs.
// Over-removing is the safe side: a removed value is marked so kense support knows something was there.

export const REMOVED = '[removed]';

/** Key names whose values are secrets (matched at the end of the name: accessToken, p12_password, X-Api-Key). */
const SECRET_NAME = String.raw`[A-Za-z0-9_.-]*?(?:password|passwd|pwd|passphrase|secret|token|tokens|api[_-]?key|private[_-]?key|privkey|pin|pincode|totp|otp|cookie|set-cookie|authorization|credentials?|session[_-]?id|key)`;

/**
 * A long absolute path (key-file folders) rather than a blob: starts with '/', three or more segments of at most 64
 * characters, no '+' or '=' (80+ characters of base64 almost always have a '+'; one starting with '/' and cut into
 * short segments is rarer still).
 */
function looksLikePath(m: string): boolean {
  if (!m.startsWith('/') || /[+=]/.test(m)) return false;
  const parts = m.split('/').filter(Boolean);
  return parts.length >= 3 && parts.every((x) => x.length <= 64);
}

const RULES: [RegExp, (m: string, ...g: string[]) => string][] = [
  // PEM blocks: private keys, certificates, anything armoured.
  [/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g, () => `${REMOVED} (key material)`],
  // Authorization / Proxy-Authorization headers, whatever the scheme.
  [/\b((?:proxy-)?authorization)(["']?\s*[:=]\s*["']?)(?:(?:bearer|basic|digest|negotiate)\s+)?[^\s"',;}]+/gi, (_m, name, sep) => `${name}${sep}${REMOVED}`],
  [/\bbearer\s+[A-Za-z0-9._~+/=-]+/gi, () => `Bearer ${REMOVED}`],
  // JSON "name": "value" / "name": 123 with a secret-looking name.
  [new RegExp(String.raw`("${SECRET_NAME}"\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false)`, 'gi'), (_m, head) => `${head}"${REMOVED}"`],
  // name=value and name: value (logs, URL query strings, env dumps).
  [new RegExp(String.raw`(\b${SECRET_NAME}\s*[=:]\s*)(?!\[removed\])("[^"]*"|'[^']*'|[^\s&,;"'}\]]+)`, 'gi'), (_m, head) => `${head}${REMOVED}`],
  // JWTs (three base64url parts, the first a JSON header).
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, () => `${REMOVED} (token)`],
  // Long base64 / base64url / hex blobs (keys, CMS, tokens without a name). Short hashes and serials stay readable.
  [/[A-Za-z0-9+/_-]{80,}={0,2}/g, (m) => (looksLikePath(m) ? m : `${REMOVED} (${m.length} characters)`)],
];

/**
 * The text with secrets removed. `known`: secrets core holds right now (session tokens) — removed wherever they
 * appear, whatever surrounds them.
 */
export function redact(text: string, known: readonly (string | null | undefined)[] = []): string {
  let out = text;
  for (const k of known) if (k && k.length >= 6) out = out.split(k).join(REMOVED);
  for (const [re, f] of RULES) out = out.replace(re, f as (m: string, ...g: string[]) => string);
  return out;
}
