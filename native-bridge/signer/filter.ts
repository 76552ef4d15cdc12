// Does a certificate satisfy a signer filter (key purpose, holder type, role, ИИН/БИН, serial)? Pure rules,
// applied before the bundled signer offers a key and after NCALayer returns a signature.
import type { SignerFilter, SignerKeySummary, SignerMismatch } from '../../contract/signing';
import { KenseError } from '../../contract/errors';
import type { KzCertificate } from '../pki';

export type FilterMismatch = SignerMismatch;

/** Issued by a НУЦ РК test CA («… (GOST) TEST 2022», «ҰКО 3.0 (RSA TEST)»). Production CAs never say TEST. */
export function isTestCertificate(cert: Pick<KzCertificate, 'issuerDn'>): boolean {
  return /\bTEST\b/i.test(cert.issuerDn);
}

const normSerial = (s: string) => s.replace(/^0+/, '').toUpperCase();

/** Every reason the certificate does not fit; empty = it fits. */
export function filterMismatches(cert: KzCertificate, filter: SignerFilter): FilterMismatch[] {
  const out: FilterMismatch[] = [];
  if (filter.purpose === 'signature' && !cert.canSign) out.push('not_a_signature_key');
  if (filter.purpose === 'authentication' && !cert.canAuthenticate) out.push('not_an_authentication_key');
  if (filter.subject === 'individual' && cert.subjectType !== 'individual') out.push('not_an_individual');
  if ((filter.subject === 'legal_entity' || filter.role !== 'any') && cert.subjectType !== 'legal_entity') out.push('not_a_legal_entity');
  const head = cert.roles.includes('first_head');
  const right = cert.roles.includes('sign_right');
  if (filter.role === 'first_head' && !head) out.push('not_first_head');
  if (filter.role === 'sign_right' && !right) out.push('no_right_to_sign');
  if (filter.role === 'head_or_sign_right' && !head && !right) out.push('no_right_to_sign');
  if (filter.iin && cert.iin !== filter.iin) out.push('iin_differs');
  if (filter.bin && cert.bin !== filter.bin) out.push('bin_differs');
  if (filter.serialNumber && normSerial(cert.serialNumber) !== normSerial(filter.serialNumber)) out.push('serial_differs');
  if (!filter.allowTestKeys && isTestCertificate(cert)) out.push('test_key');
  return out;
}

/** SIGNER_KEY_NOT_ALLOWED for a certificate the filter refuses (who it is, and every reason). */
export function refuseUnfit(cert: KzCertificate, filter: SignerFilter): void {
  const reasons = filterMismatches(cert, filter);
  if (reasons.length === 0) return;
  throw new KenseError('SIGNER_KEY_NOT_ALLOWED', {
    reasons,
    serialNumber: cert.serialNumber,
    ...(cert.commonName ? { commonName: cert.commonName } : {}),
    ...(cert.iin ? { iin: cert.iin } : {}),
    ...(cert.bin ? { bin: cert.bin } : {}),
  });
}

export function certificateFits(cert: KzCertificate, filter: SignerFilter): boolean {
  return filterMismatches(cert, filter).length === 0;
}

/** What the UI may show about a key. */
export function keySummary(cert: KzCertificate, extra: { keyPath?: string; storage?: string; alias?: string } = {}): SignerKeySummary {
  return {
    ...(extra.alias ?? cert.subjectKeyId ? { alias: extra.alias ?? cert.subjectKeyId } : {}),
    ...(extra.keyPath ? { keyPath: extra.keyPath } : {}),
    ...(extra.storage ? { storage: extra.storage } : {}),
    ...(cert.commonName ? { commonName: cert.commonName } : {}),
    ...(cert.iin ? { iin: cert.iin } : {}),
    ...(cert.bin ? { bin: cert.bin } : {}),
    ...(cert.organization ? { organization: cert.organization } : {}),
    ...(cert.issuerCommonName ? { issuerCommonName: cert.issuerCommonName } : {}),
    serialNumber: cert.serialNumber,
    subjectType: cert.subjectType,
    roles: [...cert.roles],
    canSign: cert.canSign,
    canAuthenticate: cert.canAuthenticate,
    keyAlgorithm: cert.keyAlgorithm,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    test: isTestCertificate(cert),
  };
}
