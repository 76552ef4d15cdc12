// The three languages must say the same things: same keys, every plural category of each language, the same
// {{placeholders}}, no empty text — and no UI text may be written straight into a component.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
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
  const root = path.resolve(import.meta.dirname, '..');
  const files: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.tsx')) files.push(p);
    }
  };
  walk(root);

  it('JSX text and user-facing attributes contain no words outside t()', () => {
    const offenders: string[] = [];
    for (const f of files) {
      const src = readFileSync(f, 'utf8');
      // Text between tags that has a letter in it, e.g. <b>Подписать</b>.
      for (const m of src.matchAll(/>([^<>{}]*\p{L}[^<>{}]*)</gu)) {
        const text = m[1].trim();
        if (text && !/^(=>|&&|\|\||\?)/.test(text) && !/[=;(]/.test(text)) offenders.push(`${path.relative(root, f)}: ${text}`);
      }
      for (const m of src.matchAll(/\b(aria-label|title|placeholder|alt)="([^"]*\p{L}[^"]*)"/gu)) offenders.push(`${path.relative(root, f)}: ${m[1]}="${m[2]}"`);
    }
    expect(files.length).toBeGreaterThan(5);
    expect(offenders).toEqual([]);
  });
});
