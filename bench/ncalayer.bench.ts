// NCALayer path and bundled signer speed. The emulator runs as its own process (as NCALayer would),
// so the client's verification and the emulator's signing use both cores.
//  - 100 small acts, GOST-2015-512 (head.p12), one basics batch, end to end: connect, sign, verify all.
//    Reference in the same run: the old commonUtils path, one request (and one key opening) per act.
//  - Bundled signer: open .p12 + sign one act; each further act of a batch.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import forge from 'node-forge';
import { SignerFilterSchema } from '../contract/signing';
import { NcaLayerClient } from '../native-bridge/ncalayer/client';
import { NcaLayerSigner } from '../native-bridge/ncalayer/signer';
import { decodeCmsText, toBase64 } from '../native-bridge/ncalayer/protocol';
import { loadTrustStore, verifyCms } from '../native-bridge/pki';
import { BundledSigner } from '../native-bridge/signer/bundled';
import { fmtMs, measure, report } from './harness';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KEYS = path.join(ROOT, 'resources/test-pki/gost2022-test/legal/valid');
const HEAD = path.join(KEYS, 'head.p12');
const N = 100;

function acts(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) =>
    new TextEncoder().encode(
      `<act number="АКТ-${i + 1}" date="2026-11-25"><seller bin="123456789021">АО "ТЕСТ"</seller><line qty="1">Услуги по договору №${i + 1}</line><total>150000.00</total></act>`,
    ),
  );
}

async function startEmulator(): Promise<{ proc: ChildProcess; url: string; ca: string }> {
  const data = mkdtempSync(path.join(tmpdir(), 'kense-bench-emu-'));
  const proc = spawn(
    process.execPath,
    [path.join(ROOT, 'cli/bin/kense.mjs'), 'ncalayer-emulator', '--keys', KEYS, '--password-env', 'KENSE_BENCH_PW', '--port', '0', '--approve', 'auto', '--data', data],
    { env: { ...process.env, KENSE_BENCH_PW: 'Qwerty12', KENSE_LANG: 'en' }, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let out = '';
  await new Promise<void>((resolve, reject) => {
    proc.stdout?.on('data', (d) => {
      out += d.toString();
      if (/TLS CA: .*\n/.test(out) && /listening on/.test(out)) resolve();
    });
    proc.on('exit', (c) => reject(new Error(`emulator exited with ${c}`)));
  });
  return {
    proc,
    url: (out.match(/listening on (wss:\/\/\S+)/) as RegExpMatchArray)[1],
    ca: readFileSync((out.match(/TLS CA: (\S+)/) as RegExpMatchArray)[1], 'utf8'),
  };
}

export async function run(): Promise<void> {
  const trust = loadTrustStore('test');
  const filter = SignerFilterSchema.parse({ role: 'first_head', allowTestKeys: true });
  const docs = acts(N);
  const emu = await startEmulator();
  try {
    // Ours: one basics batch, every signature verified before it is returned.
    const batch = await measure(
      `${N} acts via NCALayer basics`,
      async () => {
        const s = new NcaLayerSigner({ url: emu.url, tls: { ca: [emu.ca] }, trust, heartbeatIntervalMs: 0 });
        try {
          const r = await s.signCms(docs, { filter });
          if (r.signatures.length !== N) throw new Error('short batch');
        } finally {
          await s.close();
        }
      },
      { warmup: 1, runs: 7, budgetMs: 30_000 },
    );
    // Reference: the old commonUtils path, one request and one password per act, each CMS verified.
    const legacy = await measure(
      `${N} acts via commonUtils, one request per act`,
      async () => {
        const c = new NcaLayerClient({ url: emu.url, tls: { ca: [emu.ca] }, heartbeatIntervalMs: 0 });
        try {
          for (const d of docs) {
            const v = await c.commonUtils('createCAdESFromBase64', ['PKCS12', 'SIGNATURE', toBase64(d), true]);
            const der = decodeCmsText(v as string) as Uint8Array;
            if (!(await verifyCms(der, { data: d, trust, revocation: 'none' })).valid) throw new Error('invalid');
          }
        } finally {
          c.close();
        }
      },
      { warmup: 0, runs: 2, budgetMs: 60_000 },
    );
    report({
      what: `${N} acts, GOST-2015-512, emulator in its own process, connect+sign+verify all`,
      ours: fmtMs(batch.medianMs),
      goal: '≤ 2500 ms (stretch ≤ 1500 ms)',
      reference: `${fmtMs(legacy.medianMs)} one commonUtils request per act`,
      ratio: legacy.medianMs / batch.medianMs,
      pass: batch.medianMs <= 2500,
    });
    console.log(`     (basics batch p90 ${fmtMs(batch.p90Ms)} over ${batch.runs} runs; stretch goal ${batch.medianMs <= 1500 ? 'met' : 'not met'})`);
  } finally {
    emu.proc.kill('SIGTERM');
  }

  // Bundled signer.
  const signer = new BundledSigner({ keyPath: HEAD, password: async () => 'Qwerty12', maxAttempts: 1 });
  const one = await measure('open .p12 + sign 1 act', () => signer.signCms([docs[0]], { filter }), { warmup: 3, runs: 20 });
  const many = await measure(`open .p12 + sign ${N + 1} acts`, () => signer.signCms(acts(N + 1), { filter }), { warmup: 1, runs: 7 });
  const perAct = (many.medianMs - one.medianMs) / N;
  // Reference: what a general library (node-forge) takes only to open the same container, without signing.
  const p12 = readFileSync(HEAD);
  const forgeOpen = await measure('node-forge: open the same .p12', () =>
    forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary'))), 'Qwerty12'),
  { warmup: 3, runs: 20 });
  report({
    what: 'bundled signer: open .p12 + sign 1 act (GOST-2015-512)',
    ours: fmtMs(one.medianMs),
    goal: '≤ 200 ms',
    reference: `${fmtMs(forgeOpen.medianMs)} node-forge only opening the same .p12`,
    ratio: forgeOpen.medianMs / one.medianMs,
    pass: one.medianMs <= 200,
  });
  report({
    what: 'bundled signer: each further act in a batch',
    ours: fmtMs(perAct),
    goal: '≤ 10 ms',
    reference: `${fmtMs(one.medianMs)} opening the key for every act`,
    ratio: one.medianMs / perAct,
    pass: perAct <= 10,
  });
}
