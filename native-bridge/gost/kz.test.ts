import { readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKenseError } from '../../contract/errors';
import { PKI_DIR, openP12, parseCert, parseOcspResponse, readDer } from './__fixtures__/material';
import { openssl, pkcs8Der, tempDir } from './__fixtures__/reference';
import { CRYPTOPRO_A, TC26_512_A } from './curves';
import { GOST94_CRYPTOPRO_PARAMSET, gost3411_94 } from './gost94';
import { verifyHash } from './gost3410';
import {
  bytesToIntBE,
  decodeKzPrivateKey,
  decodeKzPublicKey,
  decodeKzSignature,
  decodeRfc4491Signature,
  digestToInt,
  encodeKzPrivateKey,
  encodeKzPublicKeyOctetString,
  encodeKzSignature,
  encodeRfc4491Signature,
  intToBytesLE,
  kzAlgorithmByOid,
  kzAlgorithms,
  kzPublicKeyFromPrivate,
  kzSign,
  kzSignDigest,
  kzSignatureToRfc4491,
  kzVerify,
  rfc4491SignatureToKz,
  type KzGostAlgorithm,
} from './kz';
import { streebog512 } from './streebog';

const pemsUnder = (dir: string): string[] =>
  (readdirSync(path.join(PKI_DIR, dir), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.pem'))
    .map((f) => path.join(dir, f))
    .sort();

const errorCode = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return isKenseError(e) ? e.code : `not a KenseError: ${String(e)}`;
  }
  return undefined;
};

// ---- real НУЦ РК material: pins the byte-order conventions ----

describe('НУЦ РК GOST 34.10-2015-512 test PKI', () => {
  const root = parseCert(readDer('gost2022-test/ca/root_test_gost_2022.cer'));
  const ca = parseCert(readDer('gost2022-test/ca/nca_gost2022_test.cer'));
  const alg = kzAlgorithms.GOST2015_512;
  const leaves = pemsUnder('gost2022-test');

  it('the material uses the Kazakh OIDs of the table', () => {
    expect(leaves.length).toBeGreaterThanOrEqual(12);
    for (const c of [root, ca, ...leaves.map((f) => parseCert(readDer(f)))]) {
      expect(c.signatureOid).toBe(alg.signatureOid);
      expect(c.spkiOid).toBe(alg.publicKeyOid);
      expect(c.spkiParams).toEqual([alg.publicKeyParamsOid, alg.digestParamsOid]);
      expect(kzAlgorithmByOid(c.signatureOid)).toBe(alg);
    }
  });

  it.each(leaves)('%s is signed by the intermediate CA (Streebog-512 of tbsCertificate)', (file) => {
    const leaf = parseCert(readDer(file));
    expect(kzVerify('GOST2015_512', ca.publicKey, leaf.tbs, leaf.signature)).toBe(true);
  });

  it('the intermediate is signed by the root, the root by itself', () => {
    expect(kzVerify('GOST2015_512', root.publicKey, ca.tbs, ca.signature)).toBe(true);
    expect(kzVerify('GOST2015_512', root.publicKey, root.tbs, root.signature)).toBe(true);
    expect(kzVerify('GOST2015_512', ca.publicKey, ca.tbs, ca.signature)).toBe(false);
  });

  it('byte order: r‖s little-endian, digest little-endian, key x‖y little-endian — and nothing else', () => {
    const leaf = parseCert(readDer('gost2022-test/legal/valid/head.pem'));
    const c = TC26_512_A;
    const Q = decodeKzPublicKey(c, ca.publicKey);
    const digest = streebog512(leaf.tbs);
    const sig = decodeKzSignature(c, leaf.signature);
    expect(verifyHash(c, Q, digestToInt(digest), sig)).toBe(true);
    // the signature read as RFC 4491 (s‖r big-endian) or as r‖s big-endian fails
    expect(verifyHash(c, Q, digestToInt(digest), decodeRfc4491Signature(c, leaf.signature))).toBe(false);
    const be = { r: bytesToIntBE(leaf.signature.subarray(0, 64)), s: bytesToIntBE(leaf.signature.subarray(64)) };
    expect(verifyHash(c, Q, digestToInt(digest), be)).toBe(false);
    // the digest read big-endian fails
    expect(verifyHash(c, Q, bytesToIntBE(digest), sig)).toBe(false);
    // the byte reversal of the Kazakh value is exactly the RFC 4491 value
    expect(decodeRfc4491Signature(c, kzSignatureToRfc4491(leaf.signature))).toEqual(sig);
    // the SPKI BIT STRING holds the DER OCTET STRING of x‖y
    expect(Buffer.from(encodeKzPublicKeyOctetString(c, Q)).equals(Buffer.from(ca.publicKey))).toBe(true);
  });

  it('the OCSP response (tbsResponseData) is signed by the responder certificate', () => {
    const resp = parseOcspResponse(readDer('ocsp/ocsp_response_individual_2015.bin'));
    const responder = parseCert(readDer('ocsp/ocsp_responder_2015.der'));
    expect(resp.signatureOid).toBe(alg.signatureOid);
    expect(resp.certs.map((c) => Buffer.from(c).toString('hex'))).toEqual([Buffer.from(responder.der).toString('hex')]);
    expect(kzVerify('GOST2015_512', responder.publicKey, resp.tbs, resp.signature)).toBe(true);
    expect(kzVerify('GOST2015_512', ca.publicKey, responder.tbs, responder.signature)).toBe(true);
    const tampered = Uint8Array.from(resp.tbs);
    tampered[tampered.length - 1] ^= 1;
    expect(kzVerify('GOST2015_512', responder.publicKey, tampered, resp.signature)).toBe(false);
  });

  it('head.p12: the private key (OCTET STRING{OCTET STRING(64 LE)}) gives the certificate public key; it signs', () => {
    const p12 = openP12('gost2022-test/legal/valid/head.p12');
    expect(p12.keyOid).toBe(alg.publicKeyOid);
    expect(p12.keyParams).toEqual([alg.publicKeyParamsOid, alg.digestParamsOid]);
    expect([p12.privateKey[0], p12.privateKey[1], p12.privateKey.length]).toEqual([0x04, 0x40, 66]);
    const cert = parseCert(p12.certDer);
    const d = decodeKzPrivateKey(TC26_512_A, p12.privateKey);
    const pub = kzPublicKeyFromPrivate('GOST2015_512', d);
    expect(Buffer.from(pub).equals(Buffer.from(decodeKzPublicKeyBytes(cert.publicKey)))).toBe(true);
    expect(Buffer.from(encodeKzPrivateKey(TC26_512_A, d)).equals(Buffer.from(p12.privateKey))).toBe(true);
    const data = new TextEncoder().encode('Акт сверки № 17');
    expect(kzVerify('GOST2015_512', cert.publicKey, data, kzSign('GOST2015_512', d, data))).toBe(true);
  });

  it('every other GOST-2015 .p12: its key matches its certificate', () => {
    const files = (readdirSync(path.join(PKI_DIR, 'gost2022-test'), { recursive: true }) as string[]).filter((f) => f.endsWith('.p12'));
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const f of files) {
      const p12 = openP12(path.join('gost2022-test', f));
      const d = decodeKzPrivateKey(TC26_512_A, p12.privateKey);
      expect(Buffer.from(kzPublicKeyFromPrivate('GOST2015_512', d)).equals(Buffer.from(decodeKzPublicKeyBytes(parseCert(p12.certDer).publicKey))), f).toBe(true);
    }
  });
});

/** x‖y out of the SPKI BIT STRING contents, via the decoder under test and back. */
function decodeKzPublicKeyBytes(spkiBits: Uint8Array): Uint8Array {
  const tail = spkiBits.subarray(spkiBits.length - 128);
  expect(decodeKzPublicKey(TC26_512_A, spkiBits)).toEqual(decodeKzPublicKey(TC26_512_A, tail));
  return tail;
}

describe('НУЦ РК GOST 34.310-2004 test PKI (legacy)', () => {
  const ca = parseCert(readDer('legacy-test/ca/test_nca_gost_2004_uko3.crt'));
  const alg = kzAlgorithms.GOST2004;
  const p12s = (['active', 'revoked'] as const).flatMap((dir) =>
    readdirSync(path.join(PKI_DIR, 'legacy-test/organization', dir))
      .filter((f) => f.startsWith('GOSTKNCA_'))
      .map((f) => path.join('legacy-test/organization', dir, f)),
  );

  it('there are GOST-2004 containers to check', () => expect(p12s.length).toBe(2));

  it.each(p12s)('%s: certificate signed by the CA; private key (INTEGER, big-endian) matches', (file) => {
    const p12 = openP12(file);
    const cert = parseCert(p12.certDer);
    expect(cert.signatureOid).toBe(alg.signatureOid);
    expect(cert.spkiOid).toBe(alg.publicKeyOid);
    expect(cert.spkiParams).toEqual([alg.publicKeyParamsOid, alg.digestParamsOid]);
    expect(p12.privateKey[0]).toBe(0x02); // INTEGER
    expect(kzVerify('GOST2004', ca.publicKey, cert.tbs, cert.signature)).toBe(true);
    const d = decodeKzPrivateKey(CRYPTOPRO_A, p12.privateKey);
    expect(Buffer.from(kzPublicKeyFromPrivate('GOST2004', d)).equals(Buffer.from(cert.publicKey.subarray(-64)))).toBe(true);
  });

  it('GOST 34.311-95 is GOST R 34.11-94 with the test S-box, not the CryptoPro one', () => {
    const cert = parseCert(openP12(p12s[0]).certDer);
    const digest = gost3411_94(cert.tbs, GOST94_CRYPTOPRO_PARAMSET);
    expect(kzVerify('GOST2004', ca.publicKey, { digest }, cert.signature)).toBe(false);
    expect(kzVerify('GOST2004', ca.publicKey, { digest: gost3411_94(cert.tbs) }, cert.signature)).toBe(true);
  });
});

// ---- encodings ----

describe('encodings', () => {
  const c = TC26_512_A;
  const sigArb = fc.record({ r: fc.bigInt({ min: 1n, max: c.q - 1n }), s: fc.bigInt({ min: 1n, max: c.q - 1n }) });

  it('Kazakh r‖s (LE) is the byte reversal of RFC 4491 s‖r (BE)', () => {
    fc.assert(
      fc.property(sigArb, (sig) => {
        const kz = encodeKzSignature(c, sig);
        const rfc = encodeRfc4491Signature(c, sig);
        expect(Buffer.from(kzSignatureToRfc4491(kz)).equals(Buffer.from(rfc))).toBe(true);
        expect(Buffer.from(rfc4491SignatureToKz(rfc)).equals(Buffer.from(kz))).toBe(true);
        expect(decodeKzSignature(c, kz)).toEqual(sig);
        expect(decodeRfc4491Signature(c, rfc)).toEqual(sig);
        expect(kz[0]).toBe(Number(sig.r & 0xffn));
      }),
      { numRuns: 50 },
    );
  });

  it('private keys: OCTET STRING (LE) and INTEGER (BE, optional sign byte) give the same scalar', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: CRYPTOPRO_A.q - 1n }), (d) => {
        expect(decodeKzPrivateKey(CRYPTOPRO_A, encodeKzPrivateKey(CRYPTOPRO_A, d))).toBe(d);
        let hex = d.toString(16);
        if (hex.length % 2) hex = `0${hex}`;
        if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
        const int = Uint8Array.from([0x02, hex.length / 2, ...Buffer.from(hex, 'hex')]);
        expect(decodeKzPrivateKey(CRYPTOPRO_A, int)).toBe(d);
      }),
      { numRuns: 100 },
    );
  });

  it('integers that do not fit are refused', () => {
    expect(() => intToBytesLE(1n << 256n, 32)).toThrow(RangeError);
    expect(() => encodeKzSignature(CRYPTOPRO_A, { r: 1n << 256n, s: 1n })).toThrow(RangeError);
  });

  it('kzAlgorithms follows NCALAYER_AND_PKI.md §5', () => {
    expect(kzAlgorithms.GOST2015_512).toMatchObject({ curve: TC26_512_A, size: 64, hashOid: '1.2.398.3.10.1.3.3', signatureOid: '1.2.398.3.10.1.1.2.3.2', publicKeyOid: '1.2.398.3.10.1.1.2.2' });
    expect(kzAlgorithms.GOST2015_256).toMatchObject({ size: 32, hashOid: '1.2.398.3.10.1.3.2', signatureOid: '1.2.398.3.10.1.1.2.3.1', publicKeyOid: '1.2.398.3.10.1.1.2.1' });
    expect(kzAlgorithms.GOST2004).toMatchObject({ curve: CRYPTOPRO_A, size: 32, hashOid: '1.2.398.3.10.1.3.1', signatureOid: '1.2.398.3.10.1.1.1.2', publicKeyOid: '1.2.398.3.10.1.1.1.1' });
    expect(Buffer.from(kzAlgorithms.GOST2004.hash(new TextEncoder().encode('abc'))).toString('hex')).toBe('f3134348c44fb1b2a277729e2285ebb5cb5e0f29c975bc753b70497c06a4d51d');
    for (const a of Object.values(kzAlgorithms)) {
      const h = a.createHash();
      h.update(new Uint8Array([1, 2]));
      h.update(new Uint8Array([3]));
      expect(h.digest()).toEqual(a.hash(new Uint8Array([1, 2, 3])));
    }
  });
});

// ---- OpenSSL cross-checks ----
//
// Mapping to OpenSSL's gost engine (RFC 4491): same curve under the Russian OIDs (kzAlgorithms[*].ru),
// same private key bytes, same public key bytes x‖y LE, same digest-as-little-endian-integer; only
// the signature value differs: OpenSSL writes s‖r big-endian = our r‖s little-endian reversed.

const OPENSSL_CASES: { alg: KzGostAlgorithm; params: string[] }[] = [
  { alg: 'GOST2015_512', params: ['1.2.643.7.1.2.1.2.1'] },
  { alg: 'GOST2015_256', params: ['1.2.643.7.1.2.1.1.1'] },
  // GOST R 34.10-2001 keys name a 34.11-94 parameter set; it plays no part when signing a digest.
  { alg: 'GOST2004', params: ['1.2.643.2.2.35.1', '1.2.643.2.2.30.1'] },
];

describe('OpenSSL gost engine cross-checks', () => {
  it.each(OPENSSL_CASES)('$alg: same public key; we sign → OpenSSL verifies; OpenSSL signs → we verify', ({ alg, params }) => {
    const info = kzAlgorithms[alg];
    const tmp = tempDir();
    try {
      const d = bytesToIntBE(crypto.getRandomValues(new Uint8Array(info.size))) % (info.curve.q - 1n) + 1n;
      // The key made from our scalar, its privateKey in the Kazakh OCTET STRING{OCTET STRING(LE)} form.
      const key = tmp.file('key.der', pkcs8Der(info.ru.publicKeyOid, params, encodeKzPrivateKey(info.curve, d)));
      const spki = openssl(['pkey', '-engine', 'gost', '-inform', 'DER', '-in', key, '-pubout', '-outform', 'DER']);
      const pub = kzPublicKeyFromPrivate(alg, d);
      expect(Buffer.from(spki.subarray(-pub.length)).equals(Buffer.from(pub))).toBe(true);
      const pubFile = tmp.file('pub.der', spki);

      const digest = crypto.getRandomValues(new Uint8Array(info.size));
      const digestFile = tmp.file('digest.bin', digest);
      const verifyArgs = (sigFile: string) => ['pkeyutl', '-engine', 'gost', '-verify', '-pubin', '-keyform', 'DER', '-inkey', pubFile, '-in', digestFile, '-sigfile', sigFile];

      // ours → OpenSSL
      const ours = kzSignDigest(alg, d, digest);
      expect(openssl(verifyArgs(tmp.file('ours.sig', kzSignatureToRfc4491(ours)))).toString()).toMatch(/Verified Successfully/);
      const bad = kzSignatureToRfc4491(ours);
      bad[bad.length - 1] ^= 1; // lowest bit of r
      expect(() => openssl(verifyArgs(tmp.file('bad.sig', bad)))).toThrow(/failed/);

      // OpenSSL → ours
      const theirs = openssl(['pkeyutl', '-engine', 'gost', '-sign', '-keyform', 'DER', '-inkey', key, '-in', digestFile]);
      expect(theirs.length).toBe(2 * info.size);
      expect(kzVerify(alg, pub, { digest }, rfc4491SignatureToKz(theirs))).toBe(true);
      expect(kzVerify(alg, pub, { digest }, theirs)).toBe(false); // unconverted: wrong order

      if (alg === 'GOST2015_512') {
        // Whole-message signatures: OpenSSL hashes with its own Streebog-512.
        const data = crypto.getRandomValues(new Uint8Array(1000));
        const dataFile = tmp.file('data.bin', data);
        const dgst = openssl(['dgst', '-engine', 'gost', '-md_gost12_512', '-sign', key, '-keyform', 'DER', dataFile]);
        expect(kzVerify(alg, pub, data, rfc4491SignatureToKz(dgst))).toBe(true);
        const sigFile = tmp.file('data.sig', kzSignatureToRfc4491(kzSign(alg, d, data)));
        const out = openssl(['dgst', '-engine', 'gost', '-md_gost12_512', '-verify', pubFile, '-keyform', 'DER', '-signature', sigFile, dataFile]);
        expect(out.toString()).toMatch(/Verified OK/);
      }
    } finally {
      tmp.remove();
    }
  });
});

// ---- malformed input ----

describe('malformed input gives typed errors, never hangs', () => {
  const ALLOWED = new Set(['GOST_INVALID_PUBLIC_KEY', 'GOST_MALFORMED_SIGNATURE', 'GOST_INVALID_KEY', 'INVALID_INPUT']);

  it('random public keys, signatures and digests: a boolean or a typed error', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<KzGostAlgorithm>('GOST2015_512', 'GOST2015_256', 'GOST2004'),
        fc.oneof(fc.uint8Array({ maxLength: 140 }), fc.constantFrom(64, 128, 66, 131).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }))),
        fc.oneof(fc.uint8Array({ maxLength: 140 }), fc.constantFrom(64, 128).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }))),
        fc.uint8Array({ maxLength: 70 }),
        (alg, pub, sig, digest) => {
          let result: unknown;
          const code = errorCode(() => {
            result = kzVerify(alg, pub, { digest }, sig);
          });
          if (code === undefined) expect(typeof result).toBe('boolean');
          else expect(ALLOWED.has(code), code).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('specific lengths and shapes', () => {
    const pub = kzPublicKeyFromPrivate('GOST2015_512', 3n);
    const sig = kzSignDigest('GOST2015_512', 3n, new Uint8Array(64));
    expect(kzVerify('GOST2015_512', pub, { digest: new Uint8Array(64) }, sig)).toBe(true);
    expect(errorCode(() => kzVerify('GOST2015_512', pub.subarray(1), { digest: new Uint8Array(64) }, sig))).toBe('GOST_INVALID_PUBLIC_KEY');
    expect(errorCode(() => kzVerify('GOST2015_512', pub, { digest: new Uint8Array(64) }, sig.subarray(1)))).toBe('GOST_MALFORMED_SIGNATURE');
    expect(errorCode(() => kzVerify('GOST2015_512', pub, { digest: new Uint8Array(32) }, sig))).toBe('INVALID_INPUT');
    expect(errorCode(() => kzSignDigest('GOST2015_512', 3n, new Uint8Array(63)))).toBe('INVALID_INPUT');
    expect(errorCode(() => kzVerify('GOST2004', pub, { digest: new Uint8Array(32) }, sig))).toBe('GOST_INVALID_PUBLIC_KEY');
    // an OCTET STRING with a lying length, or trailing bytes
    expect(errorCode(() => decodeKzPublicKey(TC26_512_A, Uint8Array.from([0x04, 0x81, 0x81, ...pub])))).toBe('GOST_INVALID_PUBLIC_KEY');
    expect(errorCode(() => decodeKzPublicKey(TC26_512_A, Uint8Array.from([0x04, 0x81, 0x80, ...pub, 0])))).toBe('GOST_INVALID_PUBLIC_KEY');
    expect(errorCode(() => decodeKzPublicKey(TC26_512_A, Uint8Array.from([0x03, 0x81, 0x80, ...pub])))).toBe('GOST_INVALID_PUBLIC_KEY');
    expect(decodeKzPublicKey(TC26_512_A, Uint8Array.from([0x04, 0x81, 0x80, ...pub]))).toEqual(decodeKzPublicKey(TC26_512_A, pub));
  });

  it('random and mutated private keys: a scalar in [1, q−1] or GOST_INVALID_KEY', () => {
    const valid = [encodeKzPrivateKey(TC26_512_A, 123456789n), Uint8Array.from([0x02, 0x02, 0x00, 0x80])];
    const mutated = fc.tuple(fc.constantFrom(...valid), fc.nat(70), fc.integer({ min: 0, max: 255 })).map(([v, i, b]) => {
      const m = Uint8Array.from(v);
      m[i % m.length] = b;
      return m;
    });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), mutated, fc.uint8Array({ maxLength: 80 }).map((b) => Uint8Array.from([0x04, 0x84, ...b]))), (bytes) => {
        let d: bigint | undefined;
        const code = errorCode(() => {
          d = decodeKzPrivateKey(TC26_512_A, bytes);
        });
        if (code === undefined) expect(d! > 0n && d! < TC26_512_A.q).toBe(true);
        else expect(code).toBe('GOST_INVALID_KEY');
      }),
      { numRuns: 500 },
    );
    for (const bad of [
      [],
      [0x04, 0x40, ...new Uint8Array(64)], // zero scalar
      [0x04, 0x40, ...new Uint8Array(64).fill(0xff)], // ≥ q
      [0x04, 0x3f, ...new Uint8Array(63).fill(1)], // 63 bytes
      [0x02, 0x01, 0xff], // negative
      [0x02, 0x00], // empty INTEGER
      [0x30, 0x03, 0x02, 0x01, 0x01], // a SEQUENCE
      [0x04, 0x80, 0x00, 0x00], // indefinite length
    ]) {
      expect(errorCode(() => decodeKzPrivateKey(TC26_512_A, Uint8Array.from(bad))), JSON.stringify(bad.slice(0, 4))).toBe('GOST_INVALID_KEY');
    }
  });
});
