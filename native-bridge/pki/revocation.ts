// The revocation decision for one certificate at a time `at`, from the CRLs and OCSP responses at hand.
// Offline, status is known only as of the last CRL/OCSP fetch: the result says what was known and when.
import { KenseError } from '../../contract/errors';
import { type Crl, parseCrl, verifyCrl } from './crl';
import { type OcspResponse, parseOcspResponse, verifyOcspResponse } from './ocsp';
import type { KzCertificate, SignerVerdict, TrustStore, VerificationReason } from './types';

export type RevocationMode = 'none' | 'crl' | 'ocsp' | 'crl-or-ocsp' | 'auto';

/** Where a piece of revocation evidence came from, carried into the verdict ("CRL from the cache, 3 h old"). */
export interface EvidenceOrigin {
  /** network: fetched just now; cache: fetched earlier and kept; file: named by the user; shipped_test_crl: the test kit's CRL; given: passed by the caller. */
  origin: RevocationOrigin;
  /** The distribution point / responder it was fetched from. */
  url?: string;
  file?: string;
  fetchedAt?: Date;
}

export type RevocationOrigin = NonNullable<SignerVerdict['revocation']['origin']>;

/** A CRL or OCSP response (DER or parsed) labelled with where it came from. */
export interface Sourced<T> {
  evidence: Uint8Array | T;
  from: EvidenceOrigin;
}

export interface RevocationEvidence {
  /** DER CRLs or CRLs already parsed with parseCrl (a 20 MB CRL is worth parsing once), optionally labelled with their origin. */
  crls?: (Uint8Array | Crl | Sourced<Crl>)[];
  ocspResponses?: (Uint8Array | OcspResponse | Sourced<OcspResponse>)[];
}

const isSourced = <T>(x: Uint8Array | T | Sourced<T>): x is Sourced<T> => typeof x === 'object' && x !== null && 'evidence' in x && 'from' in x;

function unwrap<T>(x: Uint8Array | T | Sourced<T>): { evidence: Uint8Array | T; from?: EvidenceOrigin } {
  return isSourced(x) ? x : { evidence: x };
}

export interface RevocationResult {
  revocation: SignerVerdict['revocation'];
  reasons: VerificationReason[];
  /** What was set aside and why (unverifiable CRL, foreign OCSP response, …), for logs. */
  problems: string[];
}

/** Clock skew tolerated between a CA/responder and us. */
const SKEW_MS = 5 * 60_000;

// Parsing and checking a big CRL is costly; the same bytes/objects are usually passed again and again.
const parsedCrls = new WeakMap<Uint8Array, Crl | Error>();
const crlVerdicts = new WeakMap<Crl, Map<string, boolean>>();
const parsedOcsp = new WeakMap<Uint8Array, OcspResponse | Error>();

/** `input` parsed once per buffer; a parse failure is remembered as the error, to be reported, never thrown. */
function parsedOnce<T extends object>(cache: WeakMap<Uint8Array, T | Error>, input: Uint8Array | T, parse: (der: Uint8Array) => T): T | Error {
  if (!(input instanceof Uint8Array)) return input;
  let r = cache.get(input);
  if (!r) {
    try {
      r = parse(input);
    } catch (e) {
      r = e instanceof KenseError ? e : new Error(String(e));
    }
    cache.set(input, r);
  }
  return r;
}

export const crlFrom = (input: Uint8Array | Crl): Crl | Error => parsedOnce(parsedCrls, input, parseCrl);
const ocspFrom = (input: Uint8Array | OcspResponse): OcspResponse | Error => parsedOnce(parsedOcsp, input, parseOcspResponse);

/**
 * Records whether `crl` is issued and signed by `issuer`, as checked elsewhere (a server checks a 20 MB CRL's
 * signature in a worker thread: hashing it here would hold the thread for seconds); crlIssuedBy answers from it.
 */
export function noteCrlIssuer(crl: Crl, issuer: Pick<KzCertificate, 'sha256'>, issued: boolean): void {
  let m = crlVerdicts.get(crl);
  if (!m) crlVerdicts.set(crl, (m = new Map()));
  m.set(issuer.sha256, issued);
}

export function crlIssuedBy(crl: Crl, issuer: KzCertificate): boolean {
  let m = crlVerdicts.get(crl);
  if (!m) crlVerdicts.set(crl, (m = new Map()));
  let v = m.get(issuer.sha256);
  if (v === undefined) m.set(issuer.sha256, (v = verifyCrl(crl, issuer)));
  return v;
}

type Finding = { status: 'good' | 'revoked'; source: 'crl' | 'ocsp'; revokedAt?: Date; checkedAt: Date; nextUpdate?: Date; from?: EvidenceOrigin };

/** Would `crl` still list `cert` if it had been revoked? Not when issued after the certificate expired (unless ExpiredCertsOnCRL says so). */
function keepsEntryOf(crl: Crl, cert: KzCertificate): boolean {
  if (crl.thisUpdate.getTime() <= cert.notAfter.getTime()) return true;
  return crl.expiredCertsOnCrl !== undefined && crl.expiredCertsOnCrl.getTime() <= cert.notAfter.getTime();
}

/** Does evidence issued at `thisUpdate` (valid until `nextUpdate`) speak for the time `at`? */
function covers(at: Date, thisUpdate: Date, nextUpdate: Date | undefined): boolean {
  const t = at.getTime();
  if (thisUpdate.getTime() >= t - SKEW_MS) return true; // issued after `at`: nothing revoked by then
  return nextUpdate !== undefined && t <= nextUpdate.getTime() + SKEW_MS;
}

function fromCrls(cert: KzCertificate, issuer: KzCertificate, crls: NonNullable<RevocationEvidence['crls']>, at: Date, revokedUntil: Date, problems: string[]): Finding[] {
  const out: Finding[] = [];
  for (const item of crls) {
    const { evidence, from } = unwrap(item);
    const crl = crlFrom(evidence);
    const where = from?.url ?? from?.file;
    if (crl instanceof Error) {
      problems.push(`CRL${where ? ` ${where}` : ''} set aside: ${crl instanceof KenseError ? String(crl.details?.reason ?? crl.code) : crl.message}`);
      continue;
    }
    if (!crlIssuedBy(crl, issuer)) {
      // A CRL of another CA is expected when several are passed; only report a same-name forgery.
      if (crl.issuerDn === issuer.subjectDn) problems.push(`CRL of ${crl.issuerDn} does not verify against the issuer`);
      continue;
    }
    let entry;
    try {
      entry = crl.entry(cert.serialNumber);
    } catch (e) {
      problems.push(`CRL of ${crl.issuerDn}: ${e instanceof KenseError ? String(e.details?.reason) : String(e)}`);
      continue;
    }
    const base = { source: 'crl' as const, checkedAt: crl.thisUpdate, ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate } : {}), ...(from ? { from } : {}) };
    if (entry && entry.reason !== 'removeFromCRL') {
      // A listed certificate was still good before its revocation date.
      out.push(entry.revokedAt.getTime() <= revokedUntil.getTime() ? { ...base, status: 'revoked', revokedAt: entry.revokedAt } : { ...base, status: 'good' });
    } else if (crl.deltaOf === undefined && !keepsEntryOf(crl, cert)) {
      // RFC 5280 §3.3: a CA may drop a certificate from its CRLs once it expires — revoked or not.
      problems.push(`CRL of ${crl.issuerDn} from ${crl.thisUpdate.toISOString()} was issued after the certificate expired (${cert.notAfter.toISOString()}): expired certificates leave CRLs, so not being listed proves nothing`);
    } else if (crl.deltaOf === undefined && covers(at, crl.thisUpdate, crl.nextUpdate)) {
      // Absence from a delta CRL proves nothing without its base.
      out.push({ ...base, status: 'good' });
    } else if (crl.deltaOf === undefined) {
      problems.push(`CRL of ${crl.issuerDn} from ${crl.thisUpdate.toISOString()} is too old for ${at.toISOString()}`);
    }
  }
  return out;
}

function fromOcsp(cert: KzCertificate, issuer: KzCertificate, responses: NonNullable<RevocationEvidence['ocspResponses']>, at: Date, revokedUntil: Date, now: Date, trust: TrustStore | undefined, problems: string[]): Finding[] {
  const out: Finding[] = [];
  for (const item of responses) {
    const { evidence, from } = unwrap(item);
    const resp = ocspFrom(evidence);
    if (resp instanceof Error) {
      problems.push(`OCSP response set aside: ${resp instanceof KenseError ? String(resp.details?.reason ?? resp.code) : resp.message}`);
      continue;
    }
    const v = verifyOcspResponse(resp, { issuer, trust, at: now, cert });
    if (!v.valid || !v.single) {
      if (v.problem !== 'response does not cover the certificate') problems.push(`OCSP response set aside: ${v.problem}`);
      continue;
    }
    const s = v.single;
    const base = { source: 'ocsp' as const, checkedAt: s.thisUpdate, ...(s.nextUpdate ? { nextUpdate: s.nextUpdate } : {}), ...(from ? { from } : {}) };
    if (s.status === 'revoked') {
      const revokedAt = s.revokedAt!;
      out.push(revokedAt.getTime() <= revokedUntil.getTime() ? { ...base, status: 'revoked', revokedAt } : { ...base, status: 'good' });
    } else if (s.status === 'good' && s.thisUpdate.getTime() > cert.notAfter.getTime()) {
      // Responders need not keep status past expiry (RFC 6960 §4.4.4): a later "good" proves nothing.
      problems.push(`OCSP answer from ${s.thisUpdate.toISOString()} came after the certificate expired (${cert.notAfter.toISOString()}): its "good" proves nothing`);
    } else if (s.status === 'good' && covers(at, s.thisUpdate, s.nextUpdate)) {
      out.push({ ...base, status: 'good' });
    }
  }
  return out;
}

/** The verdict's revocation line from the finding that decided it. */
function described(f: Finding): SignerVerdict['revocation'] {
  return {
    status: f.status,
    source: f.source,
    ...(f.revokedAt ? { revokedAt: f.revokedAt } : {}),
    checkedAt: f.checkedAt,
    ...(f.nextUpdate ? { nextUpdate: f.nextUpdate } : {}),
    ...(f.from ? { origin: f.from.origin, ...(f.from.url ? { url: f.from.url } : {}), ...(f.from.file ? { file: f.from.file } : {}), ...(f.from.fetchedAt ? { fetchedAt: f.from.fetchedAt } : {}) } : {}),
  };
}

/**
 * Revocation status of `cert` at `at`. 'none' → not_checked. Otherwise revoked evidence wins over
 * good; with no conclusive evidence the status is 'unknown', and REVOCATION_UNKNOWN is a reason only
 * when revocation was required ('crl', 'ocsp', 'crl-or-ocsp'); 'auto' uses what is given.
 */
export function checkRevocation(
  cert: KzCertificate,
  issuer: KzCertificate | undefined,
  opts: RevocationEvidence & {
    /** The time the status is wanted for (e.g. the signing time). */
    at: Date;
    /**
     * A revocation dated up to this time counts (default `at`). When `at` is only what the signer
     * claims (signingTime, no timestamp), pass now: nothing shows the signature predates a later
     * revocation, and a holder of a revoked key could simply backdate.
     */
    revokedUntil?: Date;
    mode?: RevocationMode;
    trust?: TrustStore;
    /** The time of checking: an OCSP response produced later than this is refused. Default: now. */
    now?: Date;
  },
): RevocationResult {
  const mode = opts.mode ?? 'auto';
  if (mode === 'none') return { revocation: { status: 'not_checked' }, reasons: [], problems: [] };
  const problems: string[] = [];
  const findings: Finding[] = [];
  if (issuer) {
    const revokedUntil = opts.revokedUntil && opts.revokedUntil > opts.at ? opts.revokedUntil : opts.at;
    if (mode !== 'ocsp') findings.push(...fromCrls(cert, issuer, opts.crls ?? [], opts.at, revokedUntil, problems));
    if (mode !== 'crl') findings.push(...fromOcsp(cert, issuer, opts.ocspResponses ?? [], opts.at, revokedUntil, opts.now ?? new Date(), opts.trust, problems));
  } else {
    problems.push('issuer unknown: revocation data cannot be checked');
  }
  const revoked = findings.filter((f) => f.status === 'revoked').sort((a, b) => a.revokedAt!.getTime() - b.revokedAt!.getTime())[0];
  if (revoked) return { revocation: described(revoked), reasons: ['CERT_REVOKED'], problems };
  const good = findings.sort((a, b) => b.checkedAt.getTime() - a.checkedAt.getTime())[0];
  if (good) return { revocation: described(good), reasons: [], problems };
  const required = mode === 'crl' || mode === 'ocsp' || mode === 'crl-or-ocsp';
  return { revocation: { status: 'unknown' }, reasons: required ? ['REVOCATION_UNKNOWN'] : [], problems };
}
