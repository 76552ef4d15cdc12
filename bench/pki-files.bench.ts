// Reading the files a user's machine meets: a production-sized CRL (~20 MB, ~500k entries) and an
// НУЦ РК .p12. Ours next to the straightforward alternative measured in the same run: a full ASN.1
// tree of the CRL with the generic reader, and node-forge's PKCS#12 reader.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import forge from 'node-forge';
import { issueCrl, syntheticRevokedList, testHierarchy } from '../native-bridge/pki/ca-test-kit';
import { parseCrl } from '../native-bridge/pki/crl';
import { parseAsn1, readUnsigned } from '../native-bridge/pki/der';
import { openP12 } from '../native-bridge/pki/p12';
import { fmtMs, measure, report } from './harness';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GOST_P12 = path.join(ROOT, 'resources/test-pki/gost2022-test/legal/valid/head.p12');
const ENTRIES = 500_000;

export async function run(): Promise<void> {
  const h = testHierarchy();
  const der = issueCrl({ issuer: h.ca, thisUpdate: new Date('2026-08-01'), nextUpdate: new Date('2026-08-08'), entries: [], revokedList: syntheticRevokedList(ENTRIES) });
  const mb = (der.length / 1e6).toFixed(1);

  const ours = await measure('CRL index (ours)', () => parseCrl(der), { warmup: 1, runs: 5 });
  const naive = await measure('CRL full tree (reference)', () => {
    const tree = parseAsn1(der, { maxNodes: Number.MAX_SAFE_INTEGER });
    const list = tree.children[0].children.find((c, i) => i > 3 && c.tag === 0x30)!;
    const m = new Map<string, Date>();
    for (const e of list.children) m.set(readUnsigned(e.children[0]).toString(16), new Date(0));
    return m;
  }, { warmup: 1, runs: 5 });
  report({ what: `CRL ${mb} MB, ${ENTRIES} entries: parse + serial index`, ours: fmtMs(ours.medianMs), goal: '≤ 1500 ms', reference: fmtMs(naive.medianMs), ratio: naive.medianMs / ours.medianMs, pass: ours.medianMs <= 1500 });

  const crl = parseCrl(der);
  const probe = [...crl.serials()].filter((_, i) => i % 1000 === 0);
  const lookups = await measure('CRL lookups', () => {
    for (const s of probe) crl.entry(s);
  });
  report({ what: 'CRL lookup of one serial (decoded on demand)', ours: fmtMs(lookups.medianMs / probe.length), goal: '≤ 0.05 ms', pass: lookups.medianMs / probe.length <= 0.05 });

  const p12 = new Uint8Array(readFileSync(GOST_P12));
  const open = await measure('НУЦ .p12 open (ours)', () => openP12(p12, 'Qwerty12').key.destroy(), { warmup: 3, runs: 30 });
  const forgeOpen = await measure('НУЦ .p12 open (node-forge)', () => {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(p12).toString('binary')));
    return forge.pkcs12.pkcs12FromAsn1(asn1, 'Qwerty12');
  }, { warmup: 3, runs: 30 });
  report({
    what: 'НУЦ РК GOST .p12 open (MAC, 3DES key bag, RC2-40 cert bag, key↔certificate check)',
    ours: fmtMs(open.medianMs),
    goal: '≤ 50 ms',
    reference: `${fmtMs(forgeOpen.medianMs)} (forge: decrypt only, no key check)`,
    ratio: forgeOpen.medianMs / open.medianMs,
    pass: open.medianMs <= 50,
  });
}
