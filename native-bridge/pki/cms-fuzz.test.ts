// Property test: no mutation of a valid CMS crashes, hangs or verifies as valid.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import path from 'node:path';
import { createCms, addCmsSigner } from './cms';
import { verifyCms } from './cms-verify';
import { loadTrustStore } from './trust';
import { TEST_PKI, pinClockToTestMaterial, testP12 as open } from './test-kit';

pinClockToTestMaterial();

const ACT = new TextEncoder().encode('Акт № 1: услуги связи за ноябрь, 12 000 ₸');

type Mutation =
  | { kind: 'flip'; at: number; xor: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; byte: number }
  | { kind: 'delete'; at: number }
  | { kind: 'duplicate'; from: number; len: number; to: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }) },
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), from: fc.nat(), len: fc.integer({ min: 1, max: 64 }), to: fc.nat() }),
);

function apply(bytes: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = Uint8Array.from(bytes);
  for (const m of ms) {
    const n = b.length;
    if (n === 0) break;
    if (m.kind === 'flip') b[m.at % n] ^= m.xor;
    else if (m.kind === 'truncate') b = b.slice(0, m.at % n);
    else if (m.kind === 'insert') b = Uint8Array.from([...b.subarray(0, m.at % n), m.byte, ...b.subarray(m.at % n)]);
    else if (m.kind === 'delete') b = Uint8Array.from([...b.subarray(0, m.at % n), ...b.subarray((m.at % n) + 1)]);
    else {
      const from = m.from % n;
      const piece = b.slice(from, from + m.len);
      b = Uint8Array.from([...b.subarray(0, m.to % n), ...piece, ...b.subarray(m.to % n)]);
    }
  }
  return b;
}

async function neverValid(cms: Uint8Array, opts: Parameters<typeof verifyCms>[1], numRuns: number) {
  expect((await verifyCms(cms, opts)).valid).toBe(true); // the seed itself is valid
  await fc.assert(
    fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
      const mutated = apply(cms, ms);
      const t0 = performance.now();
      const v = await verifyCms(mutated, opts);
      expect(performance.now() - t0).toBeLessThan(2_000);
      expect(v.valid).toBe(false);
      if (v.error) expect(v.signers).toEqual([]);
    }),
    { numRuns },
  );
}

describe('mutated CMS never crashes, hangs or verifies', () => {
  it('RSA, co-signed by two keys, attached (many runs: RSA verification is cheap)', async () => {
    const a = open('legacy-test/personal/active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12');
    const b = open('legacy-test/organization/active/AUTH_RSA256_d682726b55b3e62600ea8fe1c74e75fc96f47790.p12');
    const at = new Date('2020-06-01T00:00:00Z');
    const cms = addCmsSigner(createCms({ data: ACT, key: a.key, certificate: a.certificate, signingTime: at }), { key: b.key, certificate: b.certificate, signingTime: at });
    const trust = loadTrustStore({ files: [path.join(TEST_PKI, 'legacy-test/ca/test_nca_rsa_uko3.crt')], anchors: 'all' });
    await neverValid(cms, { trust, at, revocation: 'none' }, 1500);
  }, 60_000);

  it('GOST-2015-512, detached with data', async () => {
    const h = open('gost2022-test/legal/valid/head.p12');
    const cms = createCms({ data: ACT, key: h.key, certificate: h.certificate, detached: true });
    await neverValid(cms, { data: ACT, trust: loadTrustStore('test'), revocation: 'none' }, 60);
  }, 60_000);
});

describe('work bounds', () => {
  it('a CMS with more than 16 signers is refused as malformed before any signature check', async () => {
    const key = open('legacy-test/personal/active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12');
    let cms = createCms({ data: new TextEncoder().encode('акт'), key: key.key, certificate: key.certificate });
    for (let i = 0; i < 16; i++) cms = addCmsSigner(cms, { key: key.key, certificate: key.certificate });
    const v = await verifyCms(cms, { trust: loadTrustStore('test'), at: new Date('2020-06-01T00:00:00Z') });
    expect(v.valid).toBe(false);
    expect(v.error?.message).toMatch(/too many signers/);
    expect(v.signers).toEqual([]);
  });
});
