// The UTF-8 bytes of each change's `data` in a feed page, cut out of the answer as the server sent it: storing those
// bytes saves serialising 100 000 documents again (about as costly as parsing them) and converting each JS string
// back to UTF-8 (better-sqlite3 binds bytes as they are). The page is still parsed and checked as a whole; a cut that
// does not line up with the parsed changes is not used. JSON's structure is ASCII, and no byte of a multi-byte
// UTF-8 sequence is below 0x80, so the scan over bytes sees the same structure as one over the text.

import { SLICE_MS, yieldToEventLoop } from '../turns';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const isOpen = (c: number) => c === 0x7b || c === 0x5b; // { [
const isClose = (c: number) => c === 0x7d || c === 0x5d; // } ]
const CHANGES = Buffer.from('changes');
const DATA = Buffer.from('data');
const NULL = Buffer.from('null');

/**
 * For `{"changes":[{…,"data":{…}},…],…}` as UTF-8: a view of every change's `data` value (null for a JSON null), in
 * order. Returns null when the page is not shaped so (the caller then serialises the parsed values).
 */
export function dataSlices(page: Uint8Array): (Uint8Array | null)[] | null {
  const out: (Uint8Array | null)[] = [];
  const scan = scanPage(page, out);
  let step = scan.next();
  while (!step.done) step = scan.next();
  return step.value ? out : null;
}

/** dataSlices in turns of about SLICE_MS (turns.ts), yielding to the event loop between them (a page is MBs). */
export async function dataSlicesSliced(page: Uint8Array): Promise<(Uint8Array | null)[] | null> {
  const out: (Uint8Array | null)[] = [];
  const scan = scanPage(page, out);
  let sliceStart = performance.now();
  let step = scan.next();
  while (!step.done) {
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
    step = scan.next();
  }
  return step.value ? out : null;
}

/** The scan pauses (yields) after about this many bytes. */
const SCAN_STEP = 128 * 1024;

function equals(page: Uint8Array, start: number, end: number, word: Uint8Array): boolean {
  if (end - start !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (page[start + k] !== word[k]) return false;
  return true;
}

/** Index just past the string whose opening quote is at `i`, or -1. */
function stringEnd(s: Uint8Array, i: number): number {
  for (let k = i + 1; k < s.length; k++) {
    const d = s[k];
    if (d === BACKSLASH) k++;
    else if (d === QUOTE) return k + 1;
  }
  return -1;
}

/** Pushes every change's data onto `out`; pauses every SCAN_STEP bytes; returns false when the page is not shaped so. */
function* scanPage(page: Uint8Array, out: (Uint8Array | null)[]): Generator<void, boolean> {
  let pauseAt = SCAN_STEP;
  let depth = 0;
  let inChanges = false;
  let changesDepth = -1;
  let lastKeyStart = -1;
  let lastKeyEnd = -1;
  for (let i = 0; i < page.length; i++) {
    if (i >= pauseAt) {
      pauseAt = i + SCAN_STEP;
      yield;
    }
    const c = page[i];
    if (c === QUOTE) {
      const end = stringEnd(page, i);
      if (end < 0) return false;
      lastKeyStart = i + 1;
      lastKeyEnd = end - 1;
      i = end - 1;
      continue;
    }
    if (c === COLON) {
      if (depth === 1 && equals(page, lastKeyStart, lastKeyEnd, CHANGES)) {
        inChanges = true;
        changesDepth = 2;
      } else if (inChanges && depth === changesDepth + 1 && equals(page, lastKeyStart, lastKeyEnd, DATA)) {
        let j = i + 1;
        while (page[j] === 0x20) j++;
        const end = valueEnd(page, j);
        if (end < 0) return false;
        out.push(equals(page, j, end, NULL) ? null : page.subarray(j, end));
        i = end - 1;
      }
      continue;
    }
    if (isOpen(c)) depth++;
    else if (isClose(c)) {
      depth--;
      if (inChanges && depth < changesDepth) inChanges = false;
    }
  }
  return true;
}

/** Index just past the JSON value starting at `i` (object, array, string, literal or number), or -1. */
function valueEnd(s: Uint8Array, i: number): number {
  const c = s[i];
  if (c === QUOTE) return stringEnd(s, i);
  if (!isOpen(c)) {
    let k = i;
    while (k < s.length && s[k] !== 0x2c && !isClose(s[k])) k++;
    return k;
  }
  let depth = 0;
  for (let k = i; k < s.length; k++) {
    const d = s[k];
    if (d === QUOTE) {
      k = stringEnd(s, k) - 1;
      if (k < 0) return -1;
    } else if (isOpen(d)) depth++;
    else if (isClose(d) && --depth === 0) return k + 1;
  }
  return -1;
}
