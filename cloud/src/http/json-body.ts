// Request bodies: UTF-8 checked on the bytes, JSON parsed in slices (a 20 MB import never holds the event loop
// for more than a few milliseconds), then every string checked for NUL and lone surrogates and every object for
// forbidden keys, depth bounded. Problems come back as field paths, never as a 500.
//
// The parser walks the bytes (structural characters are ASCII, so a multi-byte UTF-8 sequence never looks like
// one) and hands each value of at most SLICE bytes — or a run of array elements of that size — to the native
// JSON.parse; only containers larger than that are walked here, member by member.
import { isUtf8 } from 'node:buffer';
import { MAX_JSON_DEPTH, textProblem, type InputProblem } from '../../../contract/cloud/input';
import { Slicer } from '../slicer';

const SLICE = 64 * 1024;

export type Path = (string | number)[];
export interface BodyProblem {
  path: Path;
  problem: InputProblem;
}

export class JsonBodyError extends Error {
  constructor(readonly problems: BodyProblem[]) {
    super(problems.map((p) => `${p.path.join('.')}: ${p.problem}`).join('; '));
  }
}

const malformed = (path: Path) => new JsonBodyError([{ path, problem: 'malformed_json' }]);

// Bytes of interest.
const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a;
const OPEN_OBJ = 0x7b, CLOSE_OBJ = 0x7d, OPEN_ARR = 0x5b, CLOSE_ARR = 0x5d;
const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDelimiter = (c: number) => c === COMMA || c === CLOSE_OBJ || c === CLOSE_ARR || isWs(c);
/** Characters a JSON value can start with: { [ " - 0-9 t f n. */
const startsValue = (c: number) => c === OPEN_OBJ || c === OPEN_ARR || c === QUOTE || c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e;

class Parser {
  i = 0;
  constructor(private readonly b: Buffer, private readonly slicer: Slicer) {}

  private text(from: number, to: number): string {
    return this.b.toString('utf8', from, to);
  }
  private native(from: number, to: number, path: Path, wrap = false): unknown {
    try {
      const s = this.text(from, to);
      return JSON.parse(wrap ? `[${s}]` : s);
    } catch {
      throw malformed(path);
    }
  }
  ws(): void {
    const b = this.b;
    while (this.i < b.length && isWs(b[this.i])) this.i++;
  }
  /** End (exclusive) of the string starting at `at` (a quote). */
  private stringEnd(at: number, path: Path): number {
    const b = this.b;
    for (let j = at + 1; j < b.length; j++) {
      const c = b[j];
      if (c === BACKSLASH) j++;
      else if (c === QUOTE) return j + 1;
    }
    throw malformed(path);
  }
  /** End of the value at `at` when it ends within `limit` bytes, else -1 (containers: brackets balanced, strings skipped). */
  private spanEnd(at: number, limit: number, path: Path): number {
    const b = this.b;
    const c = b[at];
    if (c === QUOTE) {
      const e = this.stringEnd(at, path);
      return e - at <= limit ? e : -1;
    }
    if (c !== OPEN_OBJ && c !== OPEN_ARR) {
      let j = at;
      while (j < b.length && !isDelimiter(b[j])) j++;
      return j;
    }
    const stop = Math.min(b.length, at + limit);
    let depth = 0;
    for (let j = at; j < stop; j++) {
      const x = b[j];
      if (x === QUOTE) {
        j = this.stringEnd(j, path) - 1;
        if (j >= stop) return -1;
      } else if (x === OPEN_OBJ || x === OPEN_ARR) depth++;
      else if (x === CLOSE_OBJ || x === CLOSE_ARR) {
        if (--depth === 0) return j + 1;
      }
    }
    if (stop === b.length && at + limit > b.length) throw malformed(path);
    return -1;
  }

  async value(depth: number, path: Path): Promise<unknown> {
    const b = this.b;
    if (this.i >= b.length || !startsValue(b[this.i])) throw malformed(path);
    const c = b[this.i];
    const end = this.spanEnd(this.i, SLICE, path);
    if (end >= 0) {
      const v = this.native(this.i, end, path);
      this.i = end;
      return v;
    }
    // Only a container is ever longer than a slice and walked here (a string is parsed whole).
    if (c === QUOTE) {
      const e = this.stringEnd(this.i, path);
      const v = this.native(this.i, e, path);
      this.i = e;
      return v;
    }
    if (depth >= MAX_JSON_DEPTH) throw new JsonBodyError([{ path, problem: 'too_deep' }]);
    await this.slicer.step();
    return c === OPEN_OBJ ? this.object(depth + 1, path) : this.array(depth + 1, path);
  }

  private async object(depth: number, path: Path): Promise<Record<string, unknown>> {
    const b = this.b;
    const out: Record<string, unknown> = {};
    this.i++;
    this.ws();
    if (b[this.i] === CLOSE_OBJ) {
      this.i++;
      return out;
    }
    for (;;) {
      if (b[this.i] !== QUOTE) throw malformed(path);
      const ke = this.stringEnd(this.i, path);
      const key = this.native(this.i, ke, path) as string;
      this.i = ke;
      if (key === '__proto__') throw new JsonBodyError([{ path: [...path, key], problem: 'forbidden_key' }]);
      this.ws();
      if (b[this.i] !== COLON) throw malformed(path);
      this.i++;
      this.ws();
      out[key] = await this.value(depth, [...path, key]);
      this.ws();
      if (b[this.i] === COMMA) {
        this.i++;
        this.ws();
        continue;
      }
      if (b[this.i] === CLOSE_OBJ) {
        this.i++;
        return out;
      }
      throw malformed(path);
    }
  }

  private async array(depth: number, path: Path): Promise<unknown[]> {
    const b = this.b;
    const out: unknown[] = [];
    this.i++;
    this.ws();
    if (b[this.i] === CLOSE_ARR) {
      this.i++;
      return out;
    }
    for (;;) {
      // A run of elements that together fit in a slice goes to JSON.parse at once.
      const runStart = this.i;
      let runEnd = -1;
      let closed = false;
      let count = 0;
      for (;;) {
        if (this.i >= b.length || !startsValue(b[this.i])) throw malformed([...path, out.length + count]);
        const e = this.spanEnd(this.i, SLICE - (this.i - runStart), [...path, out.length + count]);
        if (e < 0) break;
        runEnd = e;
        count++;
        this.i = e;
        this.ws();
        if (b[this.i] === COMMA) {
          this.i++;
          this.ws();
          continue;
        }
        if (b[this.i] === CLOSE_ARR) {
          closed = true;
          break;
        }
        throw malformed([...path, out.length + count]);
      }
      if (count > 0) {
        const items = this.native(runStart, runEnd, [...path, out.length], true) as unknown[];
        for (const x of items) out.push(x);
        await this.slicer.step();
        if (closed) {
          this.i++;
          return out;
        }
        continue;
      }
      // One element larger than a slice: walked by itself.
      out.push(await this.value(depth, [...path, out.length]));
      this.ws();
      if (b[this.i] === COMMA) {
        this.i++;
        this.ws();
        continue;
      }
      if (b[this.i] === CLOSE_ARR) {
        this.i++;
        return out;
      }
      throw malformed([...path, out.length]);
    }
  }
}

/**
 * Every string (keys included) free of NUL and lone surrogates; no `__proto__` key; at most MAX_JSON_DEPTH deep.
 * When the bytes were not UTF-8, the strings that hold a replacement character are the fields to blame.
 * Returns at most `max` problems, in document order.
 */
export async function textProblems(v: unknown, base: Path, opts: { invalidUtf8?: boolean; max?: number; slicer?: Slicer } = {}): Promise<BodyProblem[]> {
  const max = opts.max ?? 10;
  const slicer = opts.slicer ?? new Slicer();
  const out: BodyProblem[] = [];
  interface Frame { v: unknown; key: string | number | null; parent: Frame | null; depth: number }
  const pathOf = (f: Frame): Path => {
    const p: Path = [];
    for (let x: Frame | null = f; x && x.key !== null; x = x.parent) p.push(x.key);
    return [...base, ...p.reverse()];
  };
  const check = (s: string, f: Frame) => {
    const p = textProblem(s) ?? (opts.invalidUtf8 && s.includes('\uFFFD') ? 'invalid_utf8' : null);
    if (p) out.push({ path: pathOf(f), problem: p });
  };
  const stack: Frame[] = [{ v, key: null, parent: null, depth: 0 }];
  let n = 0;
  while (stack.length && out.length < max) {
    const f = stack.pop()!;
    if ((++n & 1023) === 0) await slicer.step();
    if (typeof f.v === 'string') {
      check(f.v, f);
      continue;
    }
    if (f.v === null || typeof f.v !== 'object') continue;
    if (f.depth >= MAX_JSON_DEPTH) {
      out.push({ path: pathOf(f), problem: 'too_deep' });
      continue;
    }
    if (Array.isArray(f.v)) {
      for (let i = f.v.length - 1; i >= 0; i--) stack.push({ v: f.v[i], key: i, parent: f, depth: f.depth + 1 });
      continue;
    }
    const keys = Object.keys(f.v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i];
      const child: Frame = { v: (f.v as Record<string, unknown>)[k], key: k, parent: f, depth: f.depth + 1 };
      if (k === '__proto__') out.push({ path: pathOf(child), problem: 'forbidden_key' });
      else check(k, child);
      stack.push(child);
    }
  }
  if (opts.invalidUtf8 && out.length === 0) out.push({ path: base, problem: 'invalid_utf8' });
  return out.slice(0, max);
}

/**
 * A request body as JSON: the bytes must be UTF-8 (the field holding a bad sequence is named), the JSON valid,
 * every string storable as text. Throws JsonBodyError with the problems (paths start at `body`).
 */
export async function parseJsonBody(bytes: Buffer, slicer = new Slicer()): Promise<unknown> {
  const p = new Parser(bytes, slicer);
  p.ws();
  const v = await p.value(0, ['body']);
  p.ws();
  if (p.i !== bytes.length) throw malformed(['body']);
  const problems = await textProblems(v, ['body'], { invalidUtf8: !isUtf8(bytes), slicer });
  if (problems.length) throw new JsonBodyError(problems);
  return v;
}
