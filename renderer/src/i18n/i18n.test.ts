// The three languages must say the same things: same keys, every plural category of each language, the same
// {{placeholders}}, no empty text — and no UI text may be written straight into a component.
import { describe, expect, it } from 'vitest';
import { RESOURCES, LANGUAGES, createI18n } from './index';

const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(o: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v as object, key)) out.set(kk, vv);
  }
  return out;
}
const flat = Object.fromEntries(LANGUAGES.map((l) => [l, flatten(RESOURCES[l])])) as Record<string, Map<string, string>>;
const base = (k: string) => k.replace(PLURAL, '');
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('i18n resources', () => {
  it('ru, kk and en have the same keys (plural forms aside)', () => {
    const sets = LANGUAGES.map((l) => new Set([...flat[l].keys()].map(base)));
    for (const s of sets.slice(1)) {
      expect([...s].filter((k) => !sets[0].has(k))).toEqual([]);
      expect([...sets[0]].filter((k) => !s.has(k))).toEqual([]);
    }
  });

  it('every plural key has exactly the plural categories of its language', () => {
    for (const l of LANGUAGES) {
      const cats = new Intl.PluralRules(l).resolvedOptions().pluralCategories.slice().sort();
      const groups = new Map<string, string[]>();
      for (const k of flat[l].keys()) if (PLURAL.test(k)) groups.set(base(k), [...(groups.get(base(k)) ?? []), k.match(PLURAL)![1]]);
      expect(groups.size).toBeGreaterThan(10);
      for (const [k, got] of groups) expect({ k, l, got: got.sort() }).toEqual({ k, l, got: cats });
    }
  });

  it('no empty text, and the same placeholders in every language', () => {
    for (const [k, ruText] of flat.ru) {
      for (const l of LANGUAGES) {
        const key = PLURAL.test(k) ? `${base(k)}_other` : k;
        const text = flat[l].get(key)!;
        expect(text.trim().length, `${l}:${key}`).toBeGreaterThan(0);
        expect({ key, l, p: placeholders(text) }).toEqual({ key, l, p: placeholders(PLURAL.test(k) ? flat.ru.get(`${base(k)}_other`)! : ruText) });
      }
    }
  });

  it('i18next picks the right plural form', () => {
    const i = createI18n('ru');
    expect(i.t('docs.subtitle', { count: 1 })).toBe('1 документ');
    expect(i.t('docs.subtitle', { count: 3 })).toBe('3 документа');
    expect(i.t('docs.subtitle', { count: 25 })).toBe('25 документов');
    expect(i.t('docs.subtitle', { count: 101 })).toBe('101 документ');
    void i.changeLanguage('en');
    expect(i.t('docs.subtitle', { count: 1 })).toBe('1 document');
    expect(i.t('docs.subtitle', { count: 2 })).toBe('2 documents');
    void i.changeLanguage('kk');
    expect(i.t('docs.subtitle', { count: 5 })).toBe('5 құжат');
    expect(i.t('nav.documents')).toBe('Құжаттар');
  });
});

describe('no hard-coded UI text', () => {
  // Every component's source, read by the bundler (the renderer layer has no Node file system).
  const sources = import.meta.glob('../**/*.tsx', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

  it('JSX text and user-facing attributes contain no words outside t()', () => {
    const offenders: string[] = [];
    for (const [f, src] of Object.entries(sources)) {
      // Text between tags that has a letter in it, e.g. <b>Подписать</b>.
      for (const m of src.matchAll(/>([^<>{}]*\p{L}[^<>{}]*)</gu)) {
        const text = m[1].trim();
        // Code that happens to sit between > and < (arrow bodies, generics, object keys) is not UI text.
        if (text && !m[1].includes('\n') && !/^(=>|&&|\|\||\?)/.test(text) && !/[=;(]/.test(text) && !/^(Promise|Array|Record|Set|Map)$/.test(text)) offenders.push(`${f}: ${text}`);
      }
      for (const m of src.matchAll(/\b(aria-label|title|placeholder|alt)="([^"]*\p{L}[^"]*)"/gu)) offenders.push(`${f}: ${m[1]}="${m[2]}"`);
    }
    expect(Object.keys(sources).length).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });
});
