// NcaLayerSigner's `unknownChain: 'accept'` (used by `kense sign`): a signature whose certificate does not
// chain to the trust store in use comes back for the caller to warn about; anything else — here a
// revoked certificate — is still refused. Against the emulator over real wss.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKenseError } from '../../contract/errors';
import { TEST_CRL_FILES, loadTrustStore, type TrustStore } from '../pki';
import type { EmulatorTlsIdentity } from '../signer/emulator-tls';
import { NcaLayerSigner } from './signer';
import { TEST_KEYS_DIR, startTestEmulator, tempTlsIdentity, testFilter } from './test-kit';

let id: EmulatorTlsIdentity;
const closers: { close(): unknown }[] = [];
beforeAll(() => {
  id = tempTlsIdentity();
});
afterAll(async () => {
  for (const c of closers) await c.close();
});

const act = new TextEncoder().encode('Акт выполненных работ № 12');

async function signWith(keysDir: string, trust: TrustStore, o: Partial<ConstructorParameters<typeof NcaLayerSigner>[0]> = {}) {
  const emu = await startTestEmulator(id, { keysDir });
  closers.push(emu);
  const s = new NcaLayerSigner({ url: emu.url, tls: { ca: [id.caPem] }, trust, heartbeatIntervalMs: 0, ...o });
  closers.push(s.client);
  try {
    return { ok: await s.signCms([act], { filter: testFilter({ role: 'first_head' }) }) };
  } catch (e) {
    if (!isKenseError(e)) throw e;
    return { error: e };
  }
}

describe("NcaLayerSigner unknownChain: 'accept'", () => {
  it('a test key under the production store: refused by default (UNTRUSTED_CHAIN), returned with accept', async () => {
    const production = loadTrustStore('production', { osStore: false });
    const refused = await signWith(TEST_KEYS_DIR, production);
    expect(refused.error?.code).toBe('SIGNER_CERTIFICATE_NOT_VALID');
    expect(refused.error?.details?.reasons).toEqual(['UNTRUSTED_CHAIN']);
    const accepted = await signWith(TEST_KEYS_DIR, production, { unknownChain: 'accept' });
    expect(accepted.ok?.signatures).toHaveLength(1);
    expect(accepted.ok?.certificate.roles).toContain('first_head');
  });

  it('a revoked key is still refused with accept', async () => {
    const r = await signWith(path.join(TEST_KEYS_DIR, '../revoked'), loadTrustStore('test'), { unknownChain: 'accept', revocation: 'crl', crls: [new Uint8Array(readFileSync(TEST_CRL_FILES[0]))] });
    expect(r.error?.code).toBe('SIGNER_CERTIFICATE_NOT_VALID');
    expect(r.error?.details?.reasons).toEqual(['CERT_REVOKED']);
  });
});
