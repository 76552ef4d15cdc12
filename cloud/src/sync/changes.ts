// GET /v1/sync/changes: keyset pages over (company_id, seq), filtered by the caller's scope in SQL, written as
// JSON bytes without parsing the stored rows (the feed stores the serialized client view).
import { KenseError } from '../../../contract/errors';
import type { Principal, Services } from '../context';
import { scopeKey, viewerFromScopeKey } from '../rules/access';
import { refreshTimedState } from '../domain/billing';
import { decodeCursor, encodeCursor, type Cursor } from './cursor';
import { visibleTo } from './visibility';
import { observeSequence, segmentMarks } from '../feed-segments';
import { Slicer } from '../slicer';

interface Row {
  seq: number;
  entity: string;
  entity_id: string;
  version: number;
  op: string;
  data: string | null;
}

const refreshedAt = new Map<string, number>();

const line = (r: Row, op: string, data: string | null) =>
  `{"seq":${r.seq},"entity":"${r.entity}","id":"${r.entity_id}","version":${r.version},"op":"${op}","data":${data ?? 'null'}}`;

/**
 * A whole answer written straight into one buffer: no per-row strings, no joined page string to flatten and
 * encode, no second copy (a page is 2–13 MB; that garbage was most of the server's work). Written in slices.
 */
async function answerBytes(rows: Row[], tail: string, slicer: Slicer): Promise<Buffer> {
  let size = HEAD.length + tail.length;
  for (const r of rows) size += 90 + r.entity.length + r.entity_id.length + r.op.length + (r.data === null ? 4 : Buffer.byteLength(r.data, 'utf8'));
  const buf = Buffer.allocUnsafe(size);
  let at = buf.write(HEAD, 0, 'latin1');
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    at += buf.write(`${i ? ',' : ''}{"seq":${r.seq},"entity":"${r.entity}","id":"${r.entity_id}","version":${r.version},"op":"${r.op}","data":`, at, 'latin1');
    at += buf.write(r.data ?? 'null', at, 'utf8');
    buf[at++] = 0x7d; // }
    if ((i & 127) === 127) await slicer.step();
  }
  at += buf.write(tail, at, 'latin1');
  return buf.subarray(0, at);
}

/**
 * PGlite runs a query to its end on this thread: a page of 5 000 documents (13 MB) read at once would hold every
 * other request for a second. Its pages are read in runs of this many rows, the event loop handed back between.
 * (node-postgres already takes a result in socket-sized pieces.)
 */
const PGLITE_RUN = 200;

/** Up to `limit` rows after `after`, read in runs on PGlite; `read(from, n)` reads one run in seq order. */
async function readRuns<R extends { seq: number }>(s: Services, after: number, limit: number, slicer: Slicer, read: (from: number, n: number) => Promise<R[]>): Promise<R[]> {
  const run = s.storage === 'pglite' ? PGLITE_RUN : limit;
  const rows: R[] = [];
  for (let from = after; rows.length < limit; ) {
    const n = Math.min(run, limit - rows.length);
    const part = await read(from, n);
    for (const r of part) rows.push(r);
    if (part.length < n) break;
    from = part[part.length - 1].seq;
    await slicer.step();
  }
  return rows;
}
const HEAD = '{"changes":[';

export async function pullChanges(s: Services, p: Principal, rawCursor: string | undefined, limit: number): Promise<Buffer> {
  const companyId = p.company.id;
  // Time-dependent state (overdue invoices, deemed acceptance) is brought up to date at most every few
  // seconds per company, not on every page of a long pull.
  const last = refreshedAt.get(companyId) ?? 0;
  const nowMs = s.clock.now().getTime();
  // The company row read with the token is a committed position: rows up to it are complete.
  let lastSeq = p.company.last_seq;
  if (!rawCursor || nowMs - last > 5_000 || nowMs < last) {
    refreshedAt.set(companyId, nowMs);
    await refreshTimedState(s, companyId);
    lastSeq = (await s.db.selectFrom('companies').select('last_seq').where('id', '=', companyId).executeTakeFirstOrThrow()).last_seq;
  }
  await observeSequence(s.db, companyId, lastSeq);
  const current = scopeKey(p.viewer);
  const cur: Cursor = rawCursor ? decodeCursor(rawCursor) : { c: companyId, e: s.epoch, s: 0, k: current, m: '' };
  if (cur.c !== companyId) throw new KenseError('CURSOR_INVALID', { reason: 'another company' });
  // A cursor from another database or from the future (the server was restored from a backup): start over.
  if (cur.e !== s.epoch || cur.s > lastSeq) throw new KenseError('CURSOR_RESET', { serverSeq: lastSeq });
  if (cur.m === undefined) throw new KenseError('CURSOR_RESET', { reason: 'a cursor from an older server version' });

  if (cur.s > 0 && (cur.k !== current || cur.t)) {
    if (cur.t && cur.t.k !== current) throw new KenseError('CURSOR_RESET', { reason: 'scope changed during re-scoping' });
    await assertMark(s, companyId, cur.s, cur.m);
    return Buffer.from(await rescopePage(s, p, cur, current, limit), 'utf8');
  }

  const key = readAheadKey(p, cur.s, limit);
  const ready = readAhead.get(key);
  readAhead.delete(key);
  // A page read ahead was read after the previous answer that carried this very mark: nothing to check again.
  const [page] = await Promise.all([
    (ready && (await ready.page.catch(() => undefined))) ?? readPage(s, p, cur.s, lastSeq, limit, current),
    ready?.startMark === cur.m ? undefined : assertMark(s, companyId, cur.s, cur.m),
  ]);
  // A long pull asks for the next page as soon as it has this one: read it now, while this one travels.
  if (page.full) {
    if (readAhead.size >= READ_AHEAD_MAX) readAhead.delete(readAhead.keys().next().value as string);
    const nextKey = readAheadKey(p, page.next, limit);
    const next = { page: readPage(s, p, page.next, Math.max(lastSeq, page.next), limit, current), startMark: page.nextMark };
    next.page.catch(() => undefined);
    readAhead.set(nextKey, next);
    setTimeout(() => readAhead.get(nextKey) === next && readAhead.delete(nextKey), 30_000).unref();
  }
  return page.bytes;
}

/** A cursor's position must still lie in the segment it was issued in; otherwise the server was restored since. */
async function assertMark(s: Services, companyId: string, seq: number, mark: string): Promise<void> {
  if (seq === 0) return;
  const marks = await segmentMarks(s.db, companyId, [seq]);
  if (marks.get(seq) !== mark) throw new KenseError('CURSOR_RESET', { reason: 'the server was restored from a backup' });
}

interface Page {
  /** The whole answer, JSON in UTF-8. */
  bytes: Buffer;
  next: number;
  /** Mark of the feed segment holding `next`, for the cursor. */
  nextMark: string;
  full: boolean;
}

/**
 * Read-ahead pages, keyed by user, scope, position and size. A page read a moment early is still a valid
 * answer: rows up to a committed position are complete, and a row changed meanwhile comes again later
 * under its new number.
 */
const readAhead = new Map<string, { page: Promise<Page>; startMark: string }>();
const READ_AHEAD_MAX = 32;
const readAheadKey = (p: Principal, seq: number, limit: number) => `${p.user.id}|${scopeKey(p.viewer)}|${seq}|${limit}`;

async function readPage(s: Services, p: Principal, after: number, upTo: number, limit: number, scope: string): Promise<Page> {
  const slicer = new Slicer();
  // Read in runs, a row may move to a newer number between two runs: it comes again later under that number.
  const rows = await readRuns(s, after, limit, slicer, async (from, n) =>
    (await s.db
      .selectFrom('feed')
      .select(['seq', 'entity', 'entity_id', 'version', 'op', 'data'])
      .where('company_id', '=', p.company.id)
      .where('seq', '>', from)
      .where('seq', '<=', upTo)
      .where((eb) => visibleTo(eb, p.viewer))
      .orderBy('seq')
      .limit(n)
      .execute()) as Row[]);
  const full = rows.length === limit;
  const next = full ? rows[rows.length - 1].seq : upTo;
  const nextMark = (await segmentMarks(s.db, p.company.id, [next])).get(next) ?? '';
  const tail = `],"cursor":"${encodeCursor({ c: p.company.id, e: s.epoch, s: next, k: scope, m: nextMark })}","hasMore":${full}}`;
  return { bytes: await answerBytes(rows, tail, slicer), next, nextMark, full };
}

/**
 * The caller's role or branch changed since the cursor was issued. Rows up to the cursor's position whose
 * visibility differs are sent again: a tombstone for what is no longer visible, the data for what now is.
 */
async function rescopePage(s: Services, p: Principal, cur: Cursor, current: string, limit: number): Promise<string> {
  const before = viewerFromScopeKey(p.user.id, cur.k);
  if (!before) throw new KenseError('CURSOR_INVALID');
  const after = p.viewer;
  const from = cur.t?.p ?? 0;
  const slicer = new Slicer();
  const rows = await readRuns(s, from, limit, slicer, async (start, n) =>
    (await s.db
      .selectFrom('feed')
      .select((eb) => ['seq', 'entity', 'entity_id', 'version', 'op', 'data', visibleTo(eb, after).as('now_visible')])
      .where('company_id', '=', p.company.id)
      .where('seq', '>', start)
      .where('seq', '<=', cur.s)
      .where((eb) => eb.or([eb.and([visibleTo(eb, before), eb.not(visibleTo(eb, after))]), eb.and([visibleTo(eb, after), eb.not(visibleTo(eb, before))])]))
      .orderBy('seq')
      .limit(n)
      .execute()) as (Row & { now_visible: boolean })[]);
  const parts: string[] = [];
  for (const r of rows) {
    parts.push(r.now_visible ? line(r, r.op, r.data) : line(r, 'delete', null));
    if ((parts.length & 127) === 0) await slicer.step();
  }
  const done = rows.length < limit;
  const next: Cursor = done ? { c: cur.c, e: cur.e, s: cur.s, k: current, m: cur.m } : { c: cur.c, e: cur.e, s: cur.s, k: cur.k, m: cur.m, t: { k: current, p: rows[rows.length - 1].seq } };
  return `{"changes":[${parts.join(',')}],"cursor":"${encodeCursor(next)}","hasMore":true}`;
}
