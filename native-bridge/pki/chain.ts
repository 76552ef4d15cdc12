// Certification path building and validation (RFC 5280 §6, reduced to what the НУЦ РК hierarchy
// needs): issuer by name + AKI/SKI, every signature, validity, CA constraints, then revocation.
import { KenseError } from '../../contract/errors';
import { UNDERSTOOD_EXTENSIONS, certificateParts } from './certificate';
import { bytesEqual } from './der';
import { namesMatch } from './names';
import { type RevocationEvidence, type RevocationMode, checkRevocation } from './revocation';
import { verifySignedBytes } from './signatures';
import type { KzCertificate, SignerVerdict, TrustStore, VerificationReason } from './types';

export interface PathValidationOptions extends RevocationEvidence {
  trust: TrustStore;
  /** Certificates that came with the signature (CMS certificates, p12 chain): candidates, never anchors. */
  extraCerts?: KzCertificate[];
  /** The time the certificate must be valid at (signing time, timestamp time or now). */
  at: Date;
  /** A revocation dated up to this time counts (default `at`; see checkRevocation). */
  revokedUntil?: Date;
  revocation?: RevocationMode;
  /** Time of checking, for OCSP freshness. Default: now. */
  now?: Date;
}

export interface PathValidationResult {
  /** Leaf first, trust anchor last (as far as a path could be built). */
  chain: KzCertificate[];
  reasons: VerificationReason[];
  revocation: SignerVerdict['revocation'];
  /** The path ends at a trust anchor and its CA checks passed (leaf dates and revocation are separate reasons). */
  trusted: boolean;
  /** A path to a trust anchor was built, whether or not its CA checks passed (ETSI: NO_CERTIFICATE_CHAIN_FOUND when not). */
  chainFound: boolean;
  /** Plain-language notes on what failed (expired CA, missing keyCertSign, unreadable CRL…), for logs. */
  problems: string[];
}

/** НУЦ РК paths are root → CA → leaf; anything much longer is a loop or an attack. */
const MAX_PATH_LENGTH = 8;

/** Same subject and same public key: an anchor still anchors after re-issue with new dates. */
function sameEntity(a: KzCertificate, b: KzCertificate): boolean {
  return a.sha256 === b.sha256 || (namesMatch(a.subjectRaw, b.subjectRaw) && bytesEqual(certificateParts(a).spki.der, certificateParts(b).spki.der));
}

function validAt(c: KzCertificate, at: Date): boolean {
  return c.notBefore.getTime() <= at.getTime() && at.getTime() <= c.notAfter.getTime();
}

function mayIssue(child: KzCertificate, candidate: KzCertificate): boolean {
  if (!namesMatch(candidate.subjectRaw, child.issuerRaw)) return false;
  return !(child.authorityKeyId && candidate.subjectKeyId && child.authorityKeyId !== candidate.subjectKeyId);
}

/**
 * Verified (child, issuer) pairs, keyed by the SHA-256 of both certificates' DER: a verifier of many
 * documents from the same companies meets the same CA certificates again and again, each time parsed
 * anew from another CMS. The same bytes give the same answer, so the answer (either way) is kept;
 * bounded, least recently used first out.
 */
let maxCachedPairs = 4096;
const signatureChecks = new Map<string, boolean>();

/** Forgets every cached certificate-signature check (benchmarks measure the cold path with it); optionally sets the bound. */
export function clearCertificateSignatureCache(max?: number): void {
  signatureChecks.clear();
  if (max !== undefined) maxCachedPairs = max;
}

export function certificateSignatureCacheSize(): number {
  return signatureChecks.size;
}

/** Is `child` signed by `issuer`'s key? (Cached by fingerprints: chains are checked for every signer of every document.) */
export function isSignedBy(child: KzCertificate, issuer: KzCertificate): boolean {
  const key = `${child.sha256}>${issuer.sha256}`;
  let ok = signatureChecks.get(key);
  if (ok !== undefined) {
    // Refresh its place: Map keeps insertion order, so the oldest entries are the least recently used.
    signatureChecks.delete(key);
    signatureChecks.set(key, ok);
    return ok;
  }
  const p = certificateParts(child);
  try {
    ok = verifySignedBytes(issuer, p.signatureAlgorithmOid, p.tbs, p.signatureValue);
  } catch (e) {
    if (!(e instanceof KenseError && e.code === 'PKI_UNSUPPORTED_ALGORITHM')) throw e;
    ok = false;
  }
  signatureChecks.set(key, ok);
  if (signatureChecks.size > maxCachedPairs) signatureChecks.delete(signatureChecks.keys().next().value as string);
  return ok;
}

/**
 * Signature checks one path search may make. A НУЦ РК path needs a handful; certificates carried in a
 * CMS are attacker-chosen, and many same-named CAs with one key would otherwise cost a GOST
 * verification per pair.
 */
const MAX_SIGNATURE_CHECKS = 64;

/**
 * Depth-first search for a path from `cert` to an anchor, trying issuers in a sensible order
 * (anchors first, then CAs valid at `at`, then the newest). Returns a complete path if one exists,
 * otherwise the longest partial path found (for reporting). A certificate from which the search found
 * nothing is not searched again with as few or fewer steps left: without that, a dozen same-named
 * CAs signing each other (all carried in one CMS) make the search try every ordering of them.
 */
function buildPath(cert: KzCertificate, pool: KzCertificate[], anchors: readonly KzCertificate[], at: Date): { path: KzCertificate[]; complete: boolean; gaveUp: boolean } {
  const isAnchor = (c: KzCertificate) => anchors.some((a) => sameEntity(a, c));
  let best: KzCertificate[] = [cert];
  let checksLeft = MAX_SIGNATURE_CHECKS;
  const deadEnds = new Map<string, number>(); // sha256 → most steps left with which a search from it failed
  const search = (path: KzCertificate[]): KzCertificate[] | undefined => {
    const current = path[path.length - 1];
    if (isAnchor(current)) return path;
    if (path.length > best.length) best = path;
    const stepsLeft = MAX_PATH_LENGTH - path.length;
    if (stepsLeft <= 0 || (deadEnds.get(current.sha256) ?? -1) >= stepsLeft) return undefined;
    const candidates = pool
      .filter((c) => mayIssue(current, c) && !path.some((p) => p.sha256 === c.sha256))
      .sort((a, b) => Number(isAnchor(b)) - Number(isAnchor(a)) || Number(validAt(b, at)) - Number(validAt(a, at)) || b.notBefore.getTime() - a.notBefore.getTime());
    for (const c of candidates) {
      if (checksLeft-- <= 0) return undefined;
      if (!isSignedBy(current, c)) continue;
      const found = search([...path, c]);
      if (found) return found;
    }
    deadEnds.set(current.sha256, stepsLeft);
    return undefined;
  };
  const found = search([cert]);
  return found ? { path: found, complete: true, gaveUp: false } : { path: best, complete: false, gaveUp: checksLeft < 0 };
}

/** RFC 5280 §6.1.4 checks on every issuer of the path, plus unknown critical extensions anywhere. */
function constraintProblems(path: KzCertificate[], anchorIndex: number, at: Date): string[] {
  const problems: string[] = [];
  path.forEach((c, i) => {
    const p = certificateParts(c);
    for (const e of p.extensions) if (e.critical && !UNDERSTOOD_EXTENSIONS.has(e.oid)) problems.push(`«${c.subjectDn}» has an unknown critical extension ${e.oid}`);
    if (i === 0) return;
    if (!validAt(c, at)) problems.push(`CA «${c.subjectDn}» is not valid at ${at.toISOString()} (valid ${c.notBefore.toISOString()} – ${c.notAfter.toISOString()})`);
    // A version 1 anchor has no extensions at all; every other issuer must say it is a CA.
    const v1Anchor = i === anchorIndex && p.version === 1;
    if (!v1Anchor && !p.basicConstraints?.ca) problems.push(`«${c.subjectDn}» is not a CA (basicConstraints)`);
    if (c.keyUsage.length > 0 && !c.keyUsage.includes('keyCertSign')) problems.push(`«${c.subjectDn}» may not sign certificates (keyUsage lacks keyCertSign)`);
    const below = i - 1; // intermediate CAs between this issuer and the leaf
    if (p.basicConstraints?.pathLen !== undefined && below > p.basicConstraints.pathLen) problems.push(`«${c.subjectDn}» pathLenConstraint ${p.basicConstraints.pathLen} exceeded`);
  });
  return problems;
}

/**
 * Validates `cert` at `opts.at` against the trust store: builds the path, checks signatures,
 * validity (leaf → CERT_EXPIRED / CERT_NOT_YET_VALID; an invalid CA → UNTRUSTED_CHAIN), CA
 * constraints, and revocation. An empty store gives TRUST_STORE_EMPTY, not UNTRUSTED_CHAIN.
 */
export function validateCertificatePath(cert: KzCertificate, opts: PathValidationOptions): PathValidationResult {
  const { trust, at } = opts;
  const reasons = new Set<VerificationReason>();
  const problems: string[] = [];
  const pool = [...trust.anchors, ...trust.intermediates, ...(opts.extraCerts ?? [])];
  const { path, complete, gaveUp } = buildPath(cert, pool, trust.anchors, at);

  if (at.getTime() < cert.notBefore.getTime()) reasons.add('CERT_NOT_YET_VALID');
  if (at.getTime() > cert.notAfter.getTime()) reasons.add('CERT_EXPIRED');

  if (!complete) {
    if (trust.anchors.length === 0) {
      reasons.add('TRUST_STORE_EMPTY');
      problems.push(`trust store «${trust.name}» holds no trust anchors`);
    } else {
      reasons.add('UNTRUSTED_CHAIN');
      const top = path[path.length - 1];
      if (gaveUp) problems.push(`path search stopped after ${MAX_SIGNATURE_CHECKS} signature checks (too many candidate issuers)`);
      problems.push(`no path from «${top.subjectDn}» to a trust anchor of «${trust.name}» (issuer «${top.issuerDn}» not found or its signature does not verify)`);
    }
  } else {
    const cp = constraintProblems(path, path.length - 1, at);
    if (cp.length) {
      reasons.add('UNTRUSTED_CHAIN');
      problems.push(...cp);
    }
  }

  const leafIsAnchor = complete && path.length === 1;
  const rev = leafIsAnchor
    ? { revocation: { status: 'not_checked' as const }, reasons: [], problems: [] }
    : checkRevocation(cert, path[1], { crls: opts.crls, ocspResponses: opts.ocspResponses, at, revokedUntil: opts.revokedUntil, mode: opts.revocation ?? 'auto', trust, now: opts.now });
  for (const r of rev.reasons) reasons.add(r);
  problems.push(...rev.problems);

  return { chain: path, reasons: [...reasons], revocation: rev.revocation, trusted: complete && !reasons.has('UNTRUSTED_CHAIN'), chainFound: complete, problems };
}
