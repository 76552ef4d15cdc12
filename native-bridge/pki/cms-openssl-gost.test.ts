// Independent checks of our GOST-2015-512 CMS against OpenSSL's gost engine (Debian libengine-gost-openssl).
// OpenSSL knows these algorithms only under the Russian OIDs (GOST R 34.10-2012-512 on tc26-512-A with
// Streebog-512) and writes signatures as s‖r big-endian; the Kazakh encoding is the exact byte reversal.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createCms } from './cms';
import { verifyCms } from './cms-verify';
import { openP12 } from './p12';
import { loadTrustStore } from './trust';
import { KZ_TO_RU, RU_TO_KZ, mapCertificate, mapCms, openssl, tempDir, writeTemp } from './cms-test-kit';
import { TEST_PKI } from './test-kit';
import { pemOrDer } from './der';

const HEAD = path.join(TEST_PKI, 'gost2022-test/legal/valid/head.p12');
const ACT = new TextEncoder().encode('Акт сверки взаимных расчётов за III квартал 2026 г.');

function requireGostEngine(): void {
  const r = openssl(['engine', 'gost', '-c']);
  if (r.status !== 0 || !/gost2012_512/.test(r.stdout)) {
    throw new Error('OpenSSL GOST engine not available: install the Debian package libengine-gost-openssl (CI does: apt-get install -y libengine-gost-openssl)');
  }
}

describe('our GOST-2015-512 CMS → openssl cms -verify -engine gost', () => {
  // What OpenSSL checks here: messageDigest = Streebog-512(content), contentType, and the GOST R
  // 34.10-2012-512 signature over the DER signed attributes with the public key of the embedded
  // certificate. Not checked by OpenSSL: the chain (-noverify: re-encoding the certificate under
  // Russian OIDs breaks the НУЦ CA's signature on it) and the ESS certificate hash (OpenSSL never
  // checks it; our own verifier does, see cms-verify.test.ts).
  const dir = tempDir();
  let cms: Uint8Array;
  let detached: Uint8Array;
  beforeAll(() => {
    requireGostEngine();
    const { key, certificate } = openP12(new Uint8Array(readFileSync(HEAD)), 'Qwerty12');
    cms = createCms({ data: ACT, key, certificate });
    detached = createCms({ data: ACT, key, certificate, detached: true });
  });
  const verify = (file: string, extra: string[] = []) =>
    openssl(['cms', '-verify', '-engine', 'gost', '-inform', 'DER', '-in', file, '-noverify', '-binary', '-out', path.join(dir, 'out.bin'), ...extra]);

  it('attached: verification successful and the content comes back', () => {
    const r = verify(writeTemp(dir, 'att-ru.cms', mapCms(cms, KZ_TO_RU)));
    expect(r.stderr).toMatch(/Verification successful/);
    expect(r.status).toBe(0);
    expect(new Uint8Array(readFileSync(path.join(dir, 'out.bin')))).toEqual(ACT);
  });

  it('detached with the act; fails with another act', () => {
    const f = writeTemp(dir, 'det-ru.cms', mapCms(detached, KZ_TO_RU));
    expect(verify(f, ['-content', writeTemp(dir, 'act.bin', ACT)]).status).toBe(0);
    const bad = verify(f, ['-content', writeTemp(dir, 'other.bin', 'другой акт')]);
    expect(bad.status).not.toBe(0);
  });

  it('without the byte reversal OpenSSL rejects it (the mapping is what makes it pass, not a lax check)', () => {
    const ru = mapCms(cms, KZ_TO_RU);
    const kazakhOrder = mapCms(ru, {}); // maps nothing, reverses the signature back to r‖s little-endian
    const r = verify(writeTemp(dir, 'unreversed.cms', kazakhOrder));
    expect(r.status).not.toBe(0);
  });
});

describe('OpenSSL-made GOST R 34.10-2012-512 CMS → our verifier', () => {
  // OpenSSL generates a key on tc26-512-A and a self-signed certificate, signs with Streebog-512
  // (attached and detached). We map OIDs Russian → Kazakh and reverse the signature bytes; the
  // certificate, mapped the same way, is given as the only trust anchor.
  const dir = tempDir();
  let keyPem: string;
  let certPem: string;
  beforeAll(() => {
    requireGostEngine();
    keyPem = path.join(dir, 'k.pem');
    certPem = path.join(dir, 'c.pem');
    expect(openssl(['genpkey', '-engine', 'gost', '-algorithm', 'gost2012_512', '-pkeyopt', 'paramset:A', '-out', keyPem]).status).toBe(0);
    const req = openssl(['req', '-new', '-x509', '-engine', 'gost', '-key', keyPem, '-md_gost12_512', '-days', '3650', '-subj', '/CN=OpenSSL GOST 2012 test/C=KZ',
      '-addext', 'keyUsage=critical,digitalSignature,nonRepudiation,keyCertSign', '-out', certPem]);
    expect(req.status).toBe(0);
  });

  async function opensslSigned(detachedMode: boolean) {
    const data = writeTemp(dir, 'data.bin', ACT);
    const out = path.join(dir, detachedMode ? 'd.cms' : 'a.cms');
    const r = openssl(['cms', '-sign', '-engine', 'gost', '-binary', '-md', 'md_gost12_512', '-signer', certPem, '-inkey', keyPem, '-in', data, '-outform', 'DER', '-out', out, ...(detachedMode ? [] : ['-nodetach'])]);
    expect(r.status).toBe(0);
    const kzCms = mapCms(new Uint8Array(readFileSync(out)), RU_TO_KZ);
    const kzCert = mapCertificate(pemOrDer(readFileSync(certPem, 'utf8')), RU_TO_KZ);
    const trust = loadTrustStore({ files: [writeTemp(dir, 'anchor.cer', kzCert)], anchors: 'all' });
    return { kzCms, trust };
  }

  it('attached: valid', async () => {
    const { kzCms, trust } = await opensslSigned(false);
    const v = await verifyCms(kzCms, { trust, revocation: 'none' });
    expect(v.signers[0]?.reasons).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.content).toEqual(ACT);
  });

  it('detached: valid with the act, DIGEST_MISMATCH with another', async () => {
    const { kzCms, trust } = await opensslSigned(true);
    expect((await verifyCms(kzCms, { trust, data: ACT, revocation: 'none' })).valid).toBe(true);
    const bad = await verifyCms(kzCms, { trust, data: new TextEncoder().encode('другой акт'), revocation: 'none' });
    expect(bad.signers[0].reasons).toEqual(['DIGEST_MISMATCH']);
  });

  it('signature left in OpenSSL byte order → BAD_SIGNATURE', async () => {
    const { kzCms, trust } = await opensslSigned(false);
    const unreversed = mapCms(kzCms, {}); // reverses the signature bytes once more, maps nothing
    const v = await verifyCms(unreversed, { trust, revocation: 'none' });
    expect(v.signers[0].reasons).toContain('BAD_SIGNATURE');
  });
});
