// Signing through NCALayer — the emulator over real wss with the НУЦ test keys: sign in with the ЭЦП (the challenge
// signed by NCALayer), sign a batch, and a user who cancels in NCALayer's dialog gets SIGN_CANCELLED with nothing queued.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_KEYS_DIR, startTestEmulator, tempTlsIdentity } from '../../../native-bridge/ncalayer/test-kit';
import { MemoryPinStore } from '../../../native-bridge/ncalayer/trust';
import { isIpcError } from '../../../contract/ipc';
import { startTestCloud, startTestCore, type TestCloud } from '../../../bench/core-kit';

let cloud: TestCloud;
let emulator: Awaited<ReturnType<typeof startTestEmulator>>;
let cancelling: Awaited<ReturnType<typeof startTestEmulator>>;
const identity = tempTlsIdentity();

beforeAll(async () => {
  cloud = await startTestCloud({ acts: 80 });
  emulator = await startTestEmulator(identity, { approve: 'auto' });
  cancelling = await startTestEmulator(identity, { approve: 'cancel' });
}, 120_000);
afterAll(async () => {
  await emulator?.close();
  await cancelling?.close();
  await cloud?.close();
});

const coreFor = (url: string) => startTestCore({ cloudUrl: cloud.url, ncalayer: { url, tls: { ca: [identity.caPem], pinStore: new MemoryPinStore() } } });

describe('NCALayer (emulator over wss)', () => {
  it('signs in with the ЭЦП and signs a batch; the batch comes from one key that must be the user’s', async () => {
    const c = coreFor(emulator.url);
    try {
      const s = await c.api.invoke('session.signInWithCertificate', { via: 'ncalayer' });
      expect(s.state).toBe('signed_in');
      expect(s.method).toBe('certificate');
      await c.api.invoke('sync.now', { wait: true });
      const rows = (await c.api.invoke('documents.list', { filter: { kinds: ['act'], direction: 'incoming', awaitingSignature: true }, limit: 3 })).items;
      const r = await c.api.invoke('documents.sign', { items: rows.map((x) => ({ kind: x.kind, id: x.id })), via: 'ncalayer' });
      expect(r.results.map((x) => x.error?.code ?? 'ok')).toEqual(['ok', 'ok', 'ok']);
      expect(r.signer?.iin).toBe(s.profile?.iin);
      const st = await c.api.invoke('sync.now', { wait: true });
      expect(st.pendingMutations).toBe(0);
      expect(st.rejected).toBe(0);
    } finally {
      await c.close();
    }
  });

  it('a cancel in NCALayer is SIGN_CANCELLED and nothing is queued', async () => {
    const c = coreFor(cancelling.url);
    try {
      await c.api.invoke('session.signInWithPassword', { iin: '123456789011', password: 'Kense-Demo-2026!' });
      await c.api.invoke('sync.now', { wait: true });
      const row = (await c.api.invoke('documents.list', { filter: { kinds: ['act'], awaitingSignature: true }, limit: 1 })).items[0];
      const e = await c.api.invoke('documents.sign', { items: [{ kind: row.kind, id: row.id }], via: 'ncalayer' }).catch((x: unknown) => x);
      expect(isIpcError(e, 'SIGN_CANCELLED')).toBe(true);
      expect((await c.api.invoke('sync.status')).pendingMutations).toBe(0);
      expect((await c.api.invoke('documents.get', { kind: row.kind, id: row.id })).row.localState).toBe('synced');
    } finally {
      await c.close();
    }
  });

  it('the doctor sees NCALayer running; key files are found with their certificates', async () => {
    const c = startTestCore({ cloudUrl: cloud.url, keyDirs: [TEST_KEYS_DIR], ncalayer: { url: emulator.url, tls: { ca: [identity.caPem], pinStore: new MemoryPinStore() } } });
    try {
      const d = await c.api.invoke('doctor.run');
      expect(d.ncalayer.status).toBe('running');
      expect(d.findings.length).toBeGreaterThan(0);
      const keys = await c.api.invoke('signer.keyFiles');
      const head = keys.items.find((k) => k.path.endsWith('head.p12'));
      expect(head?.certificate?.serial).toBe('303EEBDF17969F3EDEDE9BD9828FB1355AABBE4E');
      expect(head?.certificate?.test).toBe(true);
    } finally {
      await c.close();
    }
  });
});
