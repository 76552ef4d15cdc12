// Nothing secret reaches a log file: a hook on electron-log rewrites every logged value before any transport
// sees it. Fields named like secrets lose their value; strings lose PEM keys, bearer tokens, JWTs, keys given to
// SQLite, long hex (raw keys) and long base64 (key files, CMS), and secret-looking URL parameters.

export const REDACTED = '[redacted]';

/** Field names whose values are never logged (passwords, tokens, keys, TOTP codes, signed content). */
const SECRET_KEY = /pass(word|phrase)?|secret|token|authori[sz]ation|cookie|private.?key|^(db|raw|database)?.?key$|^keys$|totp|otp|^pin$|^code$|^cms$|content.?base64|data.?base64|p12.?base64|signature.?base64/i;

const STRING_RULES: [RegExp, string | ((m: string) => string)][] = [
  [/-----BEGIN [A-Z0-9 ]*(PRIVATE KEY|ENCRYPTED PRIVATE KEY|PKCS12|CERTIFICATE REQUEST)-----[\s\S]*?(-----END [A-Z0-9 ]*-----|$)/g, '[redacted PEM]'],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, (m) => `${m.split(/\s+/)[0]} ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[redacted JWT]'],
  [/(PRAGMA\s+(re)?key\s*=\s*)("[^"]*"|'[^']*'|\S+)/gi, `$1${REDACTED}`],
  [/([?&;](?:access_token|refresh_token|token|password|pass|secret|key|code)=)[^&#\s]*/gi, `$1${REDACTED}`],
  [/("?(?:password|passphrase|secret|token|accessToken|refreshToken|authorization)"?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,}]+)/gi, `$1${REDACTED}`],
  [/\b[0-9a-fA-F]{64,}\b/g, '[redacted hex]'],
  [/[A-Za-z0-9+/]{200,}={0,2}/g, (m) => `[redacted base64, ${m.length} chars]`],
];

export function redactString(s: string): string {
  let out = s;
  for (const [re, to] of STRING_RULES) out = out.replace(re, to as string);
  return out;
}

/** A copy of `value` safe to log (cycles, depth and size bounded; Errors kept readable). */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth > 8) return '[too deep]';
  seen.add(value);
  if (value instanceof Error) {
    const e = value as Error & { code?: unknown; details?: unknown };
    // The code first, so a support engineer reading the file sees which error it was.
    const code = typeof e.code === 'string' ? `[${e.code}] ` : '';
    const copy = new Error(`${code}${redactString(e.message)}`);
    copy.name = e.name;
    const frames = e.stack ? redactString(e.stack).split('\n').filter((l) => /^\s+at /.test(l)) : [];
    copy.stack = [`${e.name}: ${copy.message}`, ...frames].join('\n');
    if (e.code !== undefined) Object.assign(copy, { code: e.code });
    if (e.details !== undefined) Object.assign(copy, { details: redact(e.details, depth + 1, seen) });
    return copy;
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => redact(v, depth + 1, seen));
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).slice(0, 200)) out[k] = SECRET_KEY.test(k) && v !== null && v !== undefined && v !== '' ? REDACTED : redact(v, depth + 1, seen);
  return out;
}

/** The electron-log hook shape (electron-log/main in the app, electron-log/node in tests). */
export interface HookableLogger<M extends { data: unknown[] }> {
  hooks: ((message: M, ...rest: never[]) => M | false)[];
}

/** Puts the redaction first among the logger's hooks, so every transport (file, console, remote) gets clean data. */
export function installLogRedaction<M extends { data: unknown[] }>(logger: HookableLogger<M>): void {
  logger.hooks.unshift((message) => ({ ...message, data: message.data.map((d) => redact(d)) }));
}
