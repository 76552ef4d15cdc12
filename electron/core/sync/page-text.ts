// The JSON text of each change's `data` in a feed page, cut out of the page as the server sent it: storing that text
// saves serialising 100 000 documents again (about as costly as parsing them). The page is still parsed and
// checked as a whole; a text that does not line up with the parsed changes is not used.

import { SLICE_MS, yieldToEventLoop } from '../turns';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = [0x7b, 0x5b]; // { [
const CLOSE = [0x7d, 0x5d]; // } ]

/**
 * For `{"changes":[{…,"data":{…}},…],…}`: the text of every change's `data` value (null for a JSON null), in order.
 * Returns null when the text is not shaped so (the caller then serialises the parsed values).
 */
export function dataTexts(page: string): (string | null)[] | null {
  const out: (string | null)[] = [];
  const scan = scanPage(page, out);
  let step = scan.next();
  while (!step.done) step = scan.next();
  return step.value ? out : null;
}

/** dataTexts in turns of about SLICE_MS (turns.ts), yielding to the event loop between them (a 500-document page is ~3 MB). */
export async function dataTextsSliced(page: string): Promise<(string | null)[] | null> {
  const out: (string | null)[] = [];
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

/** The scan pauses (yields) after about this many characters. */
const SCAN_STEP = 64 * 1024;

/** Pushes every change's data text onto `out`; pauses every SCAN_STEP characters; returns false when the page is not shaped so. */
function* scanPage(page: string, out: (string | null)[]): Generator<void, boolean> {
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
    const c = page.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      for (i++; i < page.length; i++) {
        const d = page.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
      lastKeyStart = start;
      lastKeyEnd = i;
      continue;
    }
    if (c === 0x3a /* : */) {
      const key = page.slice(lastKeyStart + 1, lastKeyEnd);
      if (depth === 1 && key === 'changes') {
        inChanges = true;
        changesDepth = 2;
      } else if (inChanges && depth === changesDepth + 1 && key === 'data') {
        let j = i + 1;
        while (page.charCodeAt(j) === 0x20) j++;
        const end = valueEnd(page, j);
        if (end < 0) return false;
        const text = page.slice(j, end);
        out.push(text === 'null' ? null : text);
        i = end - 1;
      }
      continue;
    }
    if (OPEN.includes(c)) depth++;
    else if (CLOSE.includes(c)) {
      depth--;
      if (inChanges && depth < changesDepth) inChanges = false;
    }
  }
  return true;
}

/** Index just past the JSON value starting at `i` (object, array, string, literal or number), or -1. */
function valueEnd(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === QUOTE) {
    for (let k = i + 1; k < s.length; k++) {
      const d = s.charCodeAt(k);
      if (d === BACKSLASH) k++;
      else if (d === QUOTE) return k + 1;
    }
    return -1;
  }
  if (!OPEN.includes(c)) {
    let k = i;
    while (k < s.length && ![0x2c, 0x7d, 0x5d].includes(s.charCodeAt(k))) k++;
    return k;
  }
  let depth = 0;
  for (let k = i; k < s.length; k++) {
    const d = s.charCodeAt(k);
    if (d === QUOTE) {
      for (k++; k < s.length; k++) {
        const e = s.charCodeAt(k);
        if (e === BACKSLASH) k++;
        else if (e === QUOTE) break;
      }
    } else if (OPEN.includes(d)) depth++;
    else if (CLOSE.includes(d) && --depth === 0) return k + 1;
  }
  return -1;
}
