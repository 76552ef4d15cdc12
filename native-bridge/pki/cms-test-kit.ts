// Test helpers for the CMS tests: OpenSSL as the independent checker, temporary files, and the
// Kazakh ⇄ Russian GOST mapping that lets OpenSSL's gost engine read our CMS (and us read its).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TAG, bitString, ctx, octetString, oid, parseAsn1, readOid, seq, tlv, type Asn1Node } from './der';

// ---------- OpenSSL as the independent checker ----------

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'kense-cms-'));
}

export function writeTemp(dir: string, name: string, bytes: Uint8Array | string): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** Runs openssl; returns exit status and output (never throws, so tests can assert on failures too). */
export function openssl(args: string[], input?: Uint8Array): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('openssl', args, { input, encoding: 'buffer', timeout: 20_000 });
  if (r.error) throw new Error(`cannot run openssl: ${r.error.message}`);
  return { status: r.status ?? -1, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

// ---------- Kazakh ⇄ Russian GOST mapping, so OpenSSL's gost engine can check our CMS and vice versa ----------

/** Same mathematics under two OID arcs (NCALAYER_AND_PKI.md §5). */
export const KZ_TO_RU: Record<string, string> = {
  '1.2.398.3.10.1.1.2.2': '1.2.643.7.1.1.1.2', // GOST 34.10-2015-512 key → GOST R 34.10-2012-512 key
  '1.2.398.3.10.1.3.3': '1.2.643.7.1.1.2.3', // GOST 34.11-2015-512 → Streebog-512
  '1.2.398.3.10.1.1.2.3.2': '1.2.643.7.1.1.3.3', // signature with Streebog-512
  '1.2.398.3.10.1.1.2.2.1': '1.2.643.7.1.2.1.2.1', // key parameters → tc26-512-paramSetA
};
export const RU_TO_KZ: Record<string, string> = Object.fromEntries(Object.entries(KZ_TO_RU).map(([k, v]) => [v, k]));

function mapOidNode(node: Asn1Node, map: Record<string, string>): Uint8Array {
  if (node.tag !== TAG.OID) return node.raw;
  const to = map[readOid(node)];
  return to ? oid(to) : node.raw;
}

/** AlgorithmIdentifier with its OID and any OIDs in a parameter SEQUENCE mapped. */
function mapAlgorithm(node: Asn1Node, map: Record<string, string>): Uint8Array {
  return seq(...node.children.map((c) => (c.tag === TAG.SEQUENCE ? seq(...c.children.map((p) => mapOidNode(p, map))) : mapOidNode(c, map))));
}

const reversed = (b: Uint8Array): Uint8Array => Uint8Array.from(b).reverse();

/**
 * Re-encodes a GOST certificate under the other OID arc, with the CA signature bytes reversed.
 * tbsCertificate changes, so the issuer's signature no longer verifies: use the result only where
 * the chain is not checked (openssl -noverify) or where the certificate itself is the trust anchor.
 */
export function mapCertificate(der: Uint8Array, map: Record<string, string>): Uint8Array {
  const cert = parseAsn1(der);
  const [tbs, sigAlg, sigValue] = cert.children;
  const hasVersion = tbs.children[0].tag === ctx(0);
  const sigIdx = hasVersion ? 2 : 1;
  const spkiIdx = sigIdx + 4;
  const tbsParts = tbs.children.map((c, i) => {
    if (i === sigIdx) return mapAlgorithm(c, map);
    if (i === spkiIdx) return seq(mapAlgorithm(c.children[0], map), c.children[1].raw);
    return c.raw;
  });
  const sig = sigValue.value;
  return seq(seq(...tbsParts), mapAlgorithm(sigAlg, map), bitString(reversed(sig.subarray(1)), sig[0]));
}

/**
 * Re-encodes a GOST CMS under the other OID arc: algorithm OIDs, the embedded certificates, and every
 * SignerInfo signature byte-reversed (Kazakh r‖s little-endian ⇄ RFC 4491 s‖r big-endian).
 * Signed attributes are copied byte-exact, so the signer's signature stays valid.
 */
export function mapCms(der: Uint8Array, map: Record<string, string>): Uint8Array {
  const ci = parseAsn1(der);
  const sd = ci.children[1].children[0];
  const parts = sd.children.map((c, i) => {
    if (i === 1) return tlv(TAG.SET, ...c.children.map((a) => mapAlgorithm(a, map)));
    if (c.tag === ctx(0) && i > 2) return tlv(ctx(0), ...c.children.map((x) => mapCertificate(x.raw, map)));
    if (c.tag === TAG.SET && i === sd.children.length - 1) return tlv(TAG.SET, ...c.children.map((si) => mapSignerInfo(si, map)));
    return c.raw;
  });
  return seq(ci.children[0].raw, tlv(ctx(0), seq(...parts)));
}

function mapSignerInfo(si: Asn1Node, map: Record<string, string>): Uint8Array {
  const sigAlgIdx = si.children.findIndex((c, i) => i > 2 && c.tag === TAG.SEQUENCE);
  return seq(
    ...si.children.map((c, i) => {
      if (i === 2 || i === sigAlgIdx) return mapAlgorithm(c, map);
      if (i === sigAlgIdx + 1) return octetString(reversed(c.value));
      return c.raw;
    }),
  );
}
