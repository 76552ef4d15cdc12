// A flaky network between core and the cloud (a loopback proxy that drops connections before and after the server
// answered, delays, answers 502/503, cuts bodies mid-way): once it heals, client and server converge — every
// signature reaches the server once, nothing is lost or doubled. And a server clock that differs is explained.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO, HEAD_P12, P12_PASSWORD, duplicateSignatures, seeded, serverSignedActIds, startFlakyProxy, startTestCloud, startTestCore, type FlakyProxy, type TestCloud,
} from '../../../bench/core-kit';

let cloud: TestCloud;
let proxy: FlakyProxy;
const SEED = Number(process.env.KENSE_FLAKY_SEED ?? 20261204);

beforeAll(async () => {
  cloud = await startTestCloud({ acts: 150 });
  proxy = await startFlakyProxy(() => cloud.url, {}, seeded(SEED));
}, 120_000);
afterAll(async () => {
  await proxy?.close();
  await cloud?.close();
});

describe(`flaky network (seed ${SEED})`, () => {
  it('converges after the network heals: every signature on the server exactly once', async () => {
    const c = startTestCore({ cloudUrl: proxy.url, random: seeded(SEED + 1), sync: { pageLimit: 40, pushBatch: 3 } });
    try {
      await c.api.invoke('session.signInWithPassword', { iin: DEMO.head, password: DEMO.password });
      await c.api.invoke('sync.now', { wait: true });
      const rows = (await c.api.invoke('documents.list', { filter: { kinds: ['act'], direction: 'incoming', awaitingSignature: true }, limit: 9 })).items;
      expect(rows.length).toBe(9);
      Object.assign(proxy.mode, { dropBefore: 0.15, dropAfter: 0.2, error: 0.15, cut: 0.15, delayMs: 30 });
      // sign in three batches while the network misbehaves, syncing (and failing) in between; also a full re-download
      for (let i = 0; i < 3; i++) {
        const r = await c.api.invoke('documents.sign', { items: rows.slice(i * 3, i * 3 + 3).map((x) => ({ kind: x.kind, id: x.id })), via: 'p12', p12Path: HEAD_P12, password: P12_PASSWORD });
        expect(r.results.every((x) => x.ok)).toBe(true);
        for (let k = 0; k < 3; k++) await c.api.invoke('sync.now', { wait: true });
        if (i === 1) await c.api.invoke('cache.resync').catch(() => undefined);
      }
      // the cases that matter happened: answers lost after the server acted, bodies cut, gateways failing
      expect(proxy.counts.dropAfter).toBeGreaterThan(0);
      expect(proxy.counts.cut + proxy.counts.error + proxy.counts.dropBefore).toBeGreaterThan(3);
      proxy.heal();
      let s = await c.api.invoke('sync.now', { wait: true });
      for (let i = 0; i < 3 && (s.pendingMutations > 0 || s.lastError); i++) s = await c.api.invoke('sync.now', { wait: true });
      expect(s.lastError).toBeNull();
      expect(s.pendingMutations).toBe(0);
      expect(s.conflicts + s.rejected).toBe(0);
      const onServer = await serverSignedActIds(cloud);
      for (const r of rows) expect(onServer.has(r.id)).toBe(true);
      expect(await duplicateSignatures(cloud)).toEqual([]);
      // the cache agrees with the server
      for (const r of rows) expect((await c.api.invoke('documents.get', { kind: 'act', id: r.id })).row.state).toMatch(/^signed_by_(us|both)$/);
      expect((await c.api.invoke('documents.count', {})).total).toBeGreaterThan(150);
    } finally {
      proxy.heal();
      await c.close();
    }
  });

  it('a server clock ten minutes off is measured and explained (CLOCK_SKEW)', async () => {
    const c = startTestCore({ cloudUrl: proxy.url });
    try {
      proxy.mode.dateSkewMs = -10 * 60_000;
      await c.api.invoke('session.signInWithPassword', { iin: DEMO.head, password: DEMO.password });
      const s = await c.api.invoke('sync.now', { wait: true });
      expect(s.clockSkewSeconds).toBeGreaterThan(560);
      expect(s.clockWarning?.code).toBe('CLOCK_SKEW');
    } finally {
      proxy.mode.dateSkewMs = 0;
      await c.close();
    }
  });
});
