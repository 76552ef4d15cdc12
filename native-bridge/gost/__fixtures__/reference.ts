// Test- and bench-only: independent implementations to compare against — OpenSSL's gost engine
// (Debian libengine-gost-openssl) and the npm package node-gost-crypto.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';

// ---- OpenSSL ----

const ENGINE_MISSING =
  'OpenSSL has no "gost" engine. Install the Debian package libengine-gost-openssl ' +
  '(apt-get install libengine-gost-openssl); the GOST cross-checks need it.';

let engineChecked = false;

/** Throws a clear error when `openssl` or its gost engine is missing. */
export function requireGostEngine(): void {
  if (engineChecked) return;
  const r = spawnSync('openssl', ['engine', 'gost', '-t'], { encoding: 'utf8' });
  if (r.error || r.status !== 0 || !/available/.test(r.stdout)) throw new Error(ENGINE_MISSING);
  engineChecked = true;
}

/** Runs `openssl <args>`; returns stdout, throws with stderr on failure. */
export function openssl(args: string[]): Buffer {
  requireGostEngine();
  const r = spawnSync('openssl', args, { maxBuffer: 1 << 26 });
  if (r.error || r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.error?.message ?? r.stderr.toString()}`);
  return r.stdout;
}

/** A temporary folder; `file(name, data)` writes a file there and returns its path. */
export function tempDir(): { dir: string; file: (name: string, data: Uint8Array | string) => string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kense-gost-'));
  return {
    dir,
    file: (name, data) => {
      const p = path.join(dir, name);
      writeFileSync(p, data);
      return p;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type OpensslDigest = 'md_gost12_256' | 'md_gost12_512' | 'md_gost94';

/** Digests of many inputs in one `openssl dgst` process (hex, in the order given). */
export function opensslDigests(md: OpensslDigest, inputs: Uint8Array[]): string[] {
  const tmp = tempDir();
  try {
    const files = inputs.map((d, i) => tmp.file(`in${i}.bin`, d));
    const out = openssl(['dgst', '-engine', 'gost', `-${md}`, '-r', ...files]).toString('utf8');
    const byFile = new Map(out.trim().split('\n').map((line) => {
      const [hex, file] = line.split(/ \*?/, 2);
      return [file.replace(/^\*/, ''), hex] as const;
    }));
    return files.map((f) => {
      const hex = byFile.get(f);
      if (!hex) throw new Error(`openssl printed no digest for ${f}`);
      return hex;
    });
  } finally {
    tmp.remove();
  }
}

// ---- node-gost-crypto (untyped CommonJS) ----

interface NgcDigest {
  digest(data: Uint8Array): ArrayBuffer;
}
interface NgcSign {
  sign(privateKey: Uint8Array, digest: Uint8Array): ArrayBuffer;
  verify(publicKey: Uint8Array, signature: Uint8Array, digest: Uint8Array): boolean;
}
interface NodeGostCrypto {
  gostEngine: {
    getGostDigest(alg: { name: string; length: number; version: number; sBox?: string }): NgcDigest;
    getGostSign(alg: { name: string; version: number; length: number; namedCurve: string }): NgcSign;
  };
}

const ngc = createRequire(import.meta.url)('node-gost-crypto') as NodeGostCrypto;

export const ngcStreebog = (bits: 256 | 512): ((d: Uint8Array) => Uint8Array) => {
  const h = ngc.gostEngine.getGostDigest({ name: 'GOST R 34.11', length: bits, version: 2012 });
  return (d) => new Uint8Array(h.digest(d));
};

/** sBox 'D-TEST' (Kazakh 34.311-95) or 'D-A' (CryptoPro). */
export const ngcGost94 = (sBox: 'D-TEST' | 'D-A'): ((d: Uint8Array) => Uint8Array) => {
  const h = ngc.gostEngine.getGostDigest({ name: 'GOST R 34.11', length: 256, version: 1994, sBox });
  return (d) => new Uint8Array(h.digest(d));
};

/**
 * node-gost-crypto's signer without a hash: the "data" is the digest, keys and digest little-endian
 * (curve 'T-512-A' = tc26-512-paramSetA, 'S-256-A' = CryptoPro-A).
 */
export const ngcSigner = (length: 256 | 512, namedCurve: string): NgcSign =>
  ngc.gostEngine.getGostSign({ name: 'GOST R 34.10', version: 2012, length, namedCurve });

/** A PKCS#8 PrivateKeyInfo with the given algorithm, parameter OIDs and privateKey contents. */
export function pkcs8Der(algorithmOid: string, paramOids: string[], privateKey: Uint8Array): Uint8Array {
  const A = forge.asn1;
  const seq = (items: forge.asn1.Asn1[]): forge.asn1.Asn1 => A.create(A.Class.UNIVERSAL, A.Type.SEQUENCE, true, items);
  const oid = (o: string): forge.asn1.Asn1 => A.create(A.Class.UNIVERSAL, A.Type.OID, false, A.oidToDer(o).getBytes());
  const info = seq([
    A.create(A.Class.UNIVERSAL, A.Type.INTEGER, false, '\x00'),
    seq([oid(algorithmOid), seq(paramOids.map(oid))]),
    A.create(A.Class.UNIVERSAL, A.Type.OCTETSTRING, false, Buffer.from(privateKey).toString('binary')),
  ]);
  return new Uint8Array(Buffer.from(A.toDer(info).getBytes(), 'binary'));
}
