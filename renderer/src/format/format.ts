// How the office prints money, dates and times: tenge from integer tiyn as `1 000,00 ₸`, dates `dd.MM.yyyy`,
// instants in Kazakhstan time (UTC+5 for the whole country since 01.03.2024), always computed explicitly so the
// machine's own time zone never changes what a director reads.
const KZ_OFFSET_MS = 5 * 3600_000;
const NBSP = '\u00a0';

/** `123456` tiyn → `1 234,56 ₸` (groups of three with a no-break space, comma decimals). */
export function formatMoney(tiyn: number, opts: { sign?: boolean; currency?: boolean } = {}): string {
  if (!Number.isSafeInteger(tiyn)) throw new RangeError(`money must be an integer number of tiyn, got ${tiyn}`);
  const negative = tiyn < 0;
  const abs = Math.abs(tiyn);
  const whole = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  const sign = negative ? '−' : opts.sign && tiyn > 0 ? '+' : '';
  return `${sign}${grouped},${cents}${opts.currency === false ? '' : `${NBSP}₸`}`;
}

/** Short money for chart axes: `1,2 млн ₸` style is locale-dependent, so the caller passes the unit words. */
export function formatMoneyShort(tiyn: number, units: { thousand: string; million: string; billion: string }): string {
  const t = tiyn / 100;
  const abs = Math.abs(t);
  const fmt = (v: number, unit: string) => `${(Math.round(v * 10) / 10).toString().replace('.', ',')}${NBSP}${unit}`;
  if (abs >= 1e9) return fmt(t / 1e9, units.billion);
  if (abs >= 1e6) return fmt(t / 1e6, units.million);
  if (abs >= 1e3) return fmt(t / 1e3, units.thousand);
  return String(Math.round(t));
}

function kzParts(instant: string | Date): Date {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
  // A Date whose UTC fields read as Kazakhstan wall-clock time.
  return new Date(ms + KZ_OFFSET_MS);
}
const p2 = (n: number) => String(n).padStart(2, '0');

/** A calendar date `2026-11-25` → `25.11.2026`; an instant → its Kazakhstan date. */
export function formatDate(value: string | Date): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-');
    return `${d}.${m}.${y}`;
  }
  const k = kzParts(value);
  return `${p2(k.getUTCDate())}.${p2(k.getUTCMonth() + 1)}.${k.getUTCFullYear()}`;
}

/** An instant → `25.11.2026 22:45` in Kazakhstan time. */
export function formatDateTime(value: string | Date, opts: { seconds?: boolean; zone?: boolean } = {}): string {
  const k = kzParts(value);
  const time = `${p2(k.getUTCHours())}:${p2(k.getUTCMinutes())}${opts.seconds ? `:${p2(k.getUTCSeconds())}` : ''}`;
  return `${formatDate(value)} ${time}${opts.zone ? ' (UTC+5)' : ''}`;
}

/** `2026-11` → `11.2026`. */
export function formatMonth(month: string): string {
  const [y, m] = month.split('-');
  return `${m}.${y}`;
}

/** Today's calendar date in Kazakhstan, `YYYY-MM-DD`. */
export function kzToday(now: Date = new Date()): string {
  return kzParts(now).toISOString().slice(0, 10);
}

/** Whole calendar days from today (Kazakhstan) to a date; negative when past. */
export function daysUntil(date: string, now: Date = new Date()): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${kzToday(now)}T00:00:00Z`)) / 86_400_000);
}

/** Bytes → `12,3 MB` (units from the caller's locale). */
export function formatBytes(n: number, units: readonly [string, string, string, string]): string {
  const steps = [1, 1024, 1024 ** 2, 1024 ** 3];
  let i = steps.length - 1;
  while (i > 0 && n < steps[i]) i--;
  const v = n / steps[i];
  return `${(i === 0 ? String(n) : (Math.round(v * 10) / 10).toString()).replace('.', ',')}${NBSP}${units[i]}`;
}

/** Group digits of a count with no-break spaces: `20000` → `20 000`. */
export function formatCount(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
}

/** A document's number as shown: a reconciliation act is named by its period (`2026-09-01…2026-11-30` → `01.09.2026–30.11.2026`). */
export function formatDocNumber(number: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})…(\d{4}-\d{2}-\d{2})$/.exec(number);
  return m ? `${formatDate(m[1])}–${formatDate(m[2])}` : number;
}

/** The readable parts of a certificate's subject DN (НУЦ РК: CN, SERIALNUMBER=IIN…, OU=BIN…, O). */
export function subjectParts(dn: string): { name: string | null; iin: string | null; bin: string | null; org: string | null } {
  const get = (k: string) => new RegExp(`(?:^|,)\\s*${k}=((?:\\\\.|[^,\\\\])*)`).exec(dn)?.[1]?.replace(/\\(.)/g, '$1').trim() ?? null;
  const serial = get('SERIALNUMBER');
  const ou = get('OU');
  return { name: get('CN'), iin: serial?.startsWith('IIN') ? serial.slice(3) : null, bin: ou?.startsWith('BIN') ? ou.slice(3) : null, org: get('O') };
}
