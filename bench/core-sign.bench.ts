// Signing 100 acts offline in one batch: the bundled signer opens the .p12 once and signs, core verifies every CMS
// against the stored canonical bytes (chain, validity, revocation from the kept CRL, key usage, ИИН/БИН, role), then
// one transaction stores signatures + states + outbox + audit. The cloud is stopped. Goal ≤ 1.5 s.
// Reference (same run): signing the same 100 canonical documents with the bundled signer alone (no checks, no store).
import { report } from './harness';
import { DEMO, HEAD_P12, P12_PASSWORD, startTestCloud, startTestCore } from './core-kit';
import { BundledSigner } from '../native-bridge/signer/bundled';
import { SignerFilterSchema } from '../contract/signing';

export async function run(): Promise<void> {
  const cloud = await startTestCloud({ acts: 3000 });
  const c = startTestCore({ cloudUrl: cloud.url });
  try {
    await c.api.invoke('session.signInWithPassword', { iin: DEMO.head, password: DEMO.password });
    await c.api.invoke('sync.now', { wait: true });
    await cloud.stop();
    await c.api.invoke('sync.now', { wait: true });
    const rows = (await c.api.invoke('documents.list', { filter: { kinds: ['act'], awaitingSignature: true }, limit: 320 })).items;
    if (rows.length < 310) throw new Error(`only ${rows.length} acts await signature`);
    const batch = (from: number, n: number) => rows.slice(from, from + n).map((r) => ({ kind: r.kind, id: r.id }));
    const sign = async (items: { kind: 'act'; id: string }[]) => {
      const t0 = performance.now();
      const r = await c.api.invoke('documents.sign', { items, via: 'p12', p12Path: HEAD_P12, password: P12_PASSWORD });
      const ms = performance.now() - t0;
      if (!r.results.every((x) => x.ok)) throw new Error(`not all signed: ${JSON.stringify(r.results.find((x) => !x.ok))}`);
      return ms;
    };
    const cold = await sign(batch(300, 10) as never);
    const times = [await sign(batch(0, 100) as never), await sign(batch(100, 100) as never), await sign(batch(200, 100) as never)].sort((a, b) => a - b);
    // reference: the signer alone over the same canonical bytes
    const p = c.core.require();
    const docs = batch(0, 100).map((r) => {
      const row = p.store.r.prepare('SELECT data FROM document_bodies WHERE doc = (SELECT rowid FROM documents WHERE kind = ? AND id = ?)').get(r.kind, r.id) as { data: string };
      return new Uint8Array(Buffer.from((JSON.parse(row.data) as { canonical: { base64: string } }).canonical.base64, 'base64'));
    });
    const signer = new BundledSigner({ keyPath: HEAD_P12, password: async () => P12_PASSWORD, maxAttempts: 1 });
    const r0 = performance.now();
    await signer.signCms(docs, { filter: SignerFilterSchema.parse({ allowTestKeys: true }), detached: true });
    const ref = performance.now() - r0;
    const pending = (await c.api.invoke('sync.status')).pendingMutations;
    report({
      what: 'sign 100 acts offline in one batch (bundled signer, verify each CMS, one transaction: signatures + states + outbox + audit)',
      ours: `median ${times[1].toFixed(0)} ms of 3 batches (${times.map((t) => t.toFixed(0)).join(' / ')} ms; first 10-act batch after start ${cold.toFixed(0)} ms)`,
      goal: '≤ 1 500 ms',
      reference: `the signer alone, same 100 documents: ${ref.toFixed(0)} ms`,
      ratio: times[1] / ref,
      pass: times[1] <= 1500,
    });
    console.log(`(${pending} changes queued for the cloud)`);
  } finally {
    await c.close();
    await cloud.close();
  }
}
