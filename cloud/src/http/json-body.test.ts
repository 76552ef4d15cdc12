// The sliced JSON parser agrees with JSON.parse on every document and every broken one; text problems are named
// by field (NUL, lone surrogates, invalid UTF-8, __proto__, depth).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonBodyError, parseJsonBody } from './json-body';
import { turnsDuring } from '../slicer';

async function ours(text: string | Buffer): Promise<{ ok: true; v: unknown } | { ok: false; problems: string[] }> {
  try {
    return { ok: true, v: await parseJsonBody(Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8')) };
  } catch (e) {
    if (e instanceof JsonBodyError) return { ok: false, problems: e.problems.map((p) => `${p.path.join('.')} ${p.problem}`) };
    throw e;
  }
}
function native(text: string): { ok: true; v: unknown } | { ok: false } {
  try {
    return { ok: true, v: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
/** Values free of what the text check refuses, so that only syntax decides. */
const clean = (s: string) => !/[\u0000\uD800-\uDFFF\uFFFD]/.test(s) && !s.includes('__proto__');
const cleanJson = fc.jsonValue({ maxDepth: 6 }).filter((v) => clean(JSON.stringify(v)));

describe('parseJsonBody', () => {
  it('parses what JSON.parse parses, to the same value, small and larger than a slice', async () => {
    await fc.assert(
      fc.asyncProperty(cleanJson, fc.integer({ min: 0, max: 3 }), async (v, pad) => {
        const text = JSON.stringify(v, null, pad);
        expect(await ours(text)).toEqual({ ok: true, v: JSON.parse(text) });
      }),
      { numRuns: 300 },
    );
    // Larger than a slice: walked member by member, arrays in runs, a long string parsed whole.
    const big = { rows: Array.from({ length: 30_000 }, (_, i) => ({ i, name: `Контрагент ${i} "ТОО"\n`, nested: [i, { x: i % 7 === 0 ? null : true }] })), long: 'ж'.repeat(200_000), deep: [[[[{ a: [1, 2, 3] }]]]] };
    expect(await ours(JSON.stringify(big))).toEqual({ ok: true, v: big });
    expect(await ours(JSON.stringify(big, null, 2))).toEqual({ ok: true, v: big });
  });

  it('refuses what JSON.parse refuses: any cut or one changed byte of a document gives the same verdict', async () => {
    await fc.assert(
      fc.asyncProperty(cleanJson, fc.nat(), fc.constantFrom('', ',', ']', '}', ':', '"', '\\', 'x', ' ', '[', '{', '1', 'e', '-', '.'), async (v, at, ch) => {
        const text = JSON.stringify(v);
        const k = at % (text.length + 1);
        for (const broken of [text.slice(0, k), text.slice(0, k) + ch + text.slice(k), text.slice(0, k) + ch + text.slice(k + 1)]) {
          const n = native(broken);
          const o = await ours(broken);
          if (n.ok && clean(broken)) expect(o).toEqual(n);
          else if (!n.ok) expect(o.ok, broken).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
    // The same around slice boundaries of a large document.
    const rows = JSON.stringify({ rows: Array.from({ length: 8000 }, (_, i) => ({ i, s: `строка ${i}` })) });
    for (const k of [1, 9, 65_530, 65_536, 65_540, 131_000, rows.length - 3, rows.length - 1]) {
      for (const broken of [rows.slice(0, k), `${rows.slice(0, k)},${rows.slice(k)}`, `${rows.slice(0, k)}]${rows.slice(k)}`, `${rows.slice(0, k)}"${rows.slice(k)}`]) {
        expect((await ours(broken)).ok, `${k}`).toBe(native(broken).ok && clean(broken));
      }
    }
  });

  it('names the field that holds NUL, a lone surrogate, bytes that are not UTF-8, a __proto__ key, or nests too deep', async () => {
    expect(await ours('{"number":"A-1\\u0000","ok":"x"}')).toEqual({ ok: false, problems: ['body.number nul'] });
    expect(await ours('{"lines":[{"name":"ok"},{"name":"\\ud800x"}]}')).toEqual({ ok: false, problems: ['body.lines.1.name lone_surrogate'] });
    expect(await ours('{"a":"\\udc00"}')).toEqual({ ok: false, problems: ['body.a lone_surrogate'] });
    expect(await ours('{"a":"\\ud83d\\ude00 fine"}')).toEqual({ ok: true, v: { a: '\u{1F600} fine' } });
    const bad = Buffer.concat([Buffer.from('{"number":"АВР-'), Buffer.from([0xff, 0xfe]), Buffer.from('","x":"y"}')]);
    expect(await ours(bad)).toEqual({ ok: false, problems: ['body.number invalid_utf8'] });
    // A CESU-8 encoded surrogate is not UTF-8 either.
    expect(await ours(Buffer.concat([Buffer.from('{"n":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]))).toEqual({ ok: false, problems: ['body.n invalid_utf8'] });
    expect(await ours('{"__proto__":{"admin":true}}')).toEqual({ ok: false, problems: ['body.__proto__ forbidden_key'] });
    expect(await ours('{"a":{"\\u0000k":1}}')).toEqual({ ok: false, problems: ['body.a.\u0000k nul'] });
    expect(await ours(`${'['.repeat(40)}${']'.repeat(40)}`)).toMatchObject({ ok: false, problems: [expect.stringContaining('too_deep')] });
    expect(await ours(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toMatchObject({ ok: false, problems: [expect.stringContaining('too_deep')] });
    expect(await ours(`${'['.repeat(30)}${']'.repeat(30)}`)).toMatchObject({ ok: true });
    expect(await ours('')).toEqual({ ok: false, problems: ['body malformed_json'] });
  });

  it('hands the event loop back while parsing 20 MB (no turn longer than a few tens of milliseconds)', async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => ({ date: '2026-03-01', customerIinBin: '240140000011', customerName: `ТОО "Алматы Строй Сервис" ${i}`, amount: i, document: `Реализация товаров и услуг № ${i} от 01.02.2026` }));
    const bytes = Buffer.from(JSON.stringify({ sales: rows, more: rows, again: rows }));
    expect(bytes.length).toBeGreaterThan(20_000_000);
    const { value, turns } = await turnsDuring(() => parseJsonBody(bytes));
    const v = value as { sales: unknown[] };
    expect(v.sales).toHaveLength(60_000);
    // Hundreds of turns: the parse ran in many short slices (a single JSON.parse would give the loop one turn).
    expect(turns).toBeGreaterThan(20);
  });
});
