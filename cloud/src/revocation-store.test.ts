// The database revocation store: a big CRL kept in parts comes back byte for byte, a newer copy replaces it whole
// (its old parts gone), small entries and rows written before parts existed are read in place. PGlite, a real
// database in a temporary folder; the event loop keeps turning while megabytes are written and read.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from './db/connect';
import { DbRevocationStore } from './revocation-store';
import { turnsDuring } from './slicer';

const dir = mkdtempSync(path.join(tmpdir(), 'kense-revstore-'));
let opened: OpenedDatabase;
let store: DbRevocationStore;
beforeAll(async () => {
  opened = await openDatabase({ dataDir: path.join(dir, 'db') });
  store = new DbRevocationStore(opened.db);
});
afterAll(async () => {
  await opened?.close();
  rmSync(dir, { recursive: true, force: true });
});

const bytesOf = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);
const at = (iso: string) => new Date(iso);

describe('DbRevocationStore', () => {
  it('a 3 MB CRL is kept in parts and read back whole; a newer copy replaces it and its parts', async () => {
    const first = bytesOf(3_000_000, 1);
    const { value: got, turns } = await turnsDuring(async () => {
      await store.put({ key: 'http://crl.example/nca.crl', kind: 'crl', bytes: first, fetchedAt: at('2026-05-01T00:00:00Z'), thisUpdate: at('2026-04-30T00:00:00Z'), nextUpdate: at('2026-05-07T00:00:00Z') });
      return store.get('http://crl.example/nca.crl');
    });
    // Many statements, each its own turn: the loop ran between them.
    expect(turns).toBeGreaterThan(10);
    expect(got).toMatchObject({ key: 'http://crl.example/nca.crl', kind: 'crl', fetchedAt: at('2026-05-01T00:00:00Z'), thisUpdate: at('2026-04-30T00:00:00Z'), nextUpdate: at('2026-05-07T00:00:00Z') });
    expect(Buffer.from(got!.bytes).equals(Buffer.from(first))).toBe(true);
    const parts = async () => Number((await sql<{ n: string }>`select count(*) as n from revocation_cache_parts`.execute(opened.db)).rows[0].n);
    expect(await parts()).toBe(Math.ceil(3_000_000 / (256 * 1024)));

    const second = bytesOf(1_000_000, 2);
    await store.put({ key: 'http://crl.example/nca.crl', kind: 'crl', bytes: second, fetchedAt: at('2026-05-02T00:00:00Z'), thisUpdate: at('2026-05-01T00:00:00Z') });
    const again = await store.get('http://crl.example/nca.crl');
    expect(Buffer.from(again!.bytes).equals(Buffer.from(second))).toBe(true);
    expect(again!.nextUpdate).toBeUndefined();
    expect(await parts()).toBe(Math.ceil(1_000_000 / (256 * 1024)));
  });

  it('a small entry stays in its row; a row written before parts existed is read as it was; an unknown key is absent', async () => {
    const ocsp = bytesOf(1500, 3);
    await store.put({ key: 'http://ocsp.example#ab', kind: 'ocsp', bytes: ocsp, fetchedAt: at('2026-05-01T00:00:00Z'), thisUpdate: at('2026-05-01T00:00:00Z') });
    expect(Buffer.from((await store.get('http://ocsp.example#ab'))!.bytes).equals(Buffer.from(ocsp))).toBe(true);
    const old = bytesOf(5000, 4);
    await opened.db.insertInto('revocation_cache').values({ key: 'old', kind: 'crl', bytes: old, fetched_at: at('2026-01-01T00:00:00Z'), this_update: at('2026-01-01T00:00:00Z'), next_update: null, parts_id: null, parts: null }).execute();
    expect(Buffer.from((await store.get('old'))!.bytes).equals(Buffer.from(old))).toBe(true);
    expect(await store.get('nothing')).toBeUndefined();
  });
});
