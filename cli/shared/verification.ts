// What `kense verify`, `kense sign` and `kense cert` share when they judge a signature or certificate:
// which trust store, and where revocation evidence comes from (files the user named, the test kit's
// CRL in test mode, and the CRLs/OCSP answers the certificates name — fetched and kept in ~/.kense).
import os from 'node:os';
import path from 'node:path';
import {
  FileRevocationStore, RevocationSource, TEST_CRL_FILES, defaultUserTrustDir, loadTrustStore, parseCrl, parseOcspResponse,
  type Crl, type LoadedTrustStore, type OcspResponse, type RevocationMode, type Sourced, type TrustStore,
} from '../../native-bridge/pki';
import { KenseError } from '../../contract/errors';
import { readFileArg } from '../args';

/** The production store as the CLI sees it: shipped folder + the roots the user imported + НУЦ CAs in the OS store. */
export function productionTrust(env: NodeJS.ProcessEnv): LoadedTrustStore {
  return loadTrustStore('production', { userFolder: defaultUserTrustDir(env) });
}

export type TrustChoice = { kind: 'production' | 'test' | 'files'; store: TrustStore };

/**
 * `--trust production|test|FILE…` (default production). Files named on the command line are what the
 * user chose to trust: with `anchorsAll` every one is an anchor. A mix is a usage problem (string).
 */
export function trustFromArgs(args: string[] | undefined, env: NodeJS.ProcessEnv, opts: { anchorsAll: boolean }): TrustChoice | string {
  const list = args && args.length ? args : ['production'];
  const named = list.filter((t) => t === 'production' || t === 'test');
  if (named.length > 0 && list.length > 1) return '--trust takes "production", "test", or certificate files — not a mix';
  if (named[0] === 'production') return { kind: 'production', store: productionTrust(env) };
  if (named[0] === 'test') return { kind: 'test', store: loadTrustStore('test') };
  return { kind: 'files', store: loadTrustStore({ files: list.map((f) => path.resolve(f)), anchors: opts.anchorsAll ? 'all' : 'self-signed' }) };
}

/** Where fetched CRLs/OCSP answers are kept: KENSE_REVOCATION_DIR, else ~/.kense/revocation (beside the imported roots and NCALayer pins). */
export function defaultRevocationDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KENSE_REVOCATION_DIR) return path.resolve(env.KENSE_REVOCATION_DIR);
  const home = env.HOME || env.USERPROFILE || os.homedir();
  return path.join(home, '.kense', 'revocation');
}

/**
 * KENSE_CRL_MIRROR="http://crl.pki.gov.kz=http://mirror.local/nuc …": fetch the URLs certificates name
 * from a mirror (a network that reaches НУЦ only through one; tests: a loopback server). Prefix
 * replacement, pairs separated by spaces or commas. Only URLs that certificates name are ever fetched.
 */
export function mirrorFromEnv(env: NodeJS.ProcessEnv): ((url: string) => string) | undefined {
  const raw = env.KENSE_CRL_MIRROR?.trim();
  if (!raw) return undefined;
  const pairs = raw.split(/[\s,]+/).map((p) => {
    const i = p.indexOf('=');
    if (i <= 0) throw new KenseError('INVALID_INPUT', { field: 'KENSE_CRL_MIRROR', problem: 'FROM=TO pairs expected' });
    return [p.slice(0, i), p.slice(i + 1)] as const;
  });
  return (url) => {
    for (const [from, to] of pairs) if (url.startsWith(from)) return to + url.slice(from.length);
    return url;
  };
}

/** The source of fetched revocation evidence for this run; `offline` keeps to what ~/.kense holds. */
export function revocationSource(env: NodeJS.ProcessEnv, opts: { offline: boolean }): RevocationSource {
  return new RevocationSource({ store: new FileRevocationStore(defaultRevocationDir(env)), online: !opts.offline, resolveUrl: mirrorFromEnv(env) });
}

/** Re-throws a typed error with the file it came from. */
export function withFile<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof KenseError) throw new KenseError(e.code, { ...e.details, file });
    throw e;
  }
}

export interface GivenEvidence {
  crls: Sourced<Crl>[];
  ocspResponses: Sourced<OcspResponse>[];
}

/**
 * The evidence at hand before anything is fetched: `--crl`/`--ocsp` files (read up front: an unreadable
 * one is an error naming it), and in test mode the test kit's CRL.
 */
export function givenEvidence(crlFiles: string[], ocspFiles: string[], trust: TrustChoice['kind']): GivenEvidence {
  const crls: Sourced<Crl>[] = crlFiles.map((f) => ({ evidence: withFile(f, () => parseCrl(readFileArg(f))), from: { origin: 'file', file: f } }));
  if (trust === 'test') for (const f of TEST_CRL_FILES) crls.push({ evidence: parseCrl(readFileArg(f)), from: { origin: 'shipped_test_crl', file: f } });
  const ocspResponses: Sourced<OcspResponse>[] = ocspFiles.map((f) => ({ evidence: withFile(f, () => parseOcspResponse(readFileArg(f))), from: { origin: 'file', file: f } }));
  return { crls, ocspResponses };
}

/** `--revocation crl-or-ocsp|crl|ocsp|none`: anything but none makes missing evidence REVOCATION_UNKNOWN. */
export function revocationMode(value: string | undefined): RevocationMode | undefined {
  const v = value ?? 'crl-or-ocsp';
  return v === 'crl-or-ocsp' || v === 'crl' || v === 'ocsp' || v === 'none' ? v : undefined;
}
