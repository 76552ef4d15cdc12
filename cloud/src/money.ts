// Printing money the Kazakh way: `1 000,00 ₸` (amounts are integer tiyn), and exact sums.
import { KenseError } from '../../contract/errors';
import { INPUT_PROBLEMS, MAX_TIYN, type InputProblem } from '../../contract/cloud/input';

export function formatTenge(tiyn: number): string {
  const neg = tiyn < 0;
  const abs = Math.abs(tiyn);
  const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  const frac = String(abs % 100).padStart(2, '0');
  return `${neg ? '-' : ''}${whole},${frac}\u00a0₸`;
}

/**
 * Sums of money stay exact: amounts are summed as BigInt and a result outside ±(2^53 − 1) tiyn is refused as
 * INVALID_INPUT naming the field (problem `out_of_range`) — never rounded, never a 500.
 */
export function outOfRange(path: string): KenseError {
  return new KenseError('INVALID_INPUT', { fields: [{ path, problem: 'out_of_range' satisfies InputProblem, message: INPUT_PROBLEMS.out_of_range.en }] });
}

/** An exact amount in tiyn as a number, or INVALID_INPUT naming `path`. */
export function exactTiyn(v: bigint | number, path: string): number {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw outOfRange(path);
    return v;
  }
  if (v > BigInt(MAX_TIYN) || v < -BigInt(MAX_TIYN)) throw outOfRange(path);
  return Number(v);
}

/** The exact sum of integer tiyn amounts, as a number, or INVALID_INPUT naming `path`. */
export function sumTiyn(amounts: Iterable<number>, path: string): number {
  let s = 0n;
  for (const a of amounts) s += BigInt(a);
  return exactTiyn(s, path);
}
