// Printing money the Kazakh way: `1 000,00 ₸` (amounts are integer tiyn).
export function formatTenge(tiyn: number): string {
  const neg = tiyn < 0;
  const abs = Math.abs(tiyn);
  const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  const frac = String(abs % 100).padStart(2, '0');
  return `${neg ? '-' : ''}${whole},${frac}\u00a0₸`;
}
