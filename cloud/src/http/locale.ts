// Picks the answer language from Accept-Language: kk, ru or en; Russian by default.
import type { Locale } from '../../../contract/errors';

export function pickLocale(header: string | undefined): Locale {
  if (!header) return 'ru';
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.split('-')[0], q: q ? Number(q.slice(2)) || 0 : 1, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranked) if (r.lang === 'kk' || r.lang === 'ru' || r.lang === 'en') return r.lang;
  return 'ru';
}
