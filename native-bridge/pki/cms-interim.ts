// INTERIM: stand-ins for PKI part 1's signatures.ts (digestOidFor, signatureOidFor, digestBytes) until it lands.
// Same names and signatures as agreed, so switching is an import change. Delete when signatures.ts exists.
import { createHash } from 'node:crypto';
import type { KeyAlgorithm } from './types';

const DIGEST: Record<KeyAlgorithm, string> = {
  RSA: '2.16.840.1.101.3.4.2.1',
  GOST2004: '1.2.398.3.10.1.3.1',
  GOST2015_256: '1.2.398.3.10.1.3.2',
  GOST2015_512: '1.2.398.3.10.1.3.3',
};
const SIGNATURE: Record<KeyAlgorithm, string> = {
  RSA: '1.2.840.113549.1.1.11',
  GOST2004: '1.2.398.3.10.1.1.1.2',
  GOST2015_256: '1.2.398.3.10.1.1.2.3.1',
  GOST2015_512: '1.2.398.3.10.1.1.2.3.2',
};

export const digestOidFor = (alg: KeyAlgorithm): string => DIGEST[alg];
export const signatureOidFor = (alg: KeyAlgorithm): string => SIGNATURE[alg];

export function digestBytes(digestOid: string, data: Uint8Array): Uint8Array {
  if (digestOid === '2.16.840.1.101.3.4.2.1') return new Uint8Array(createHash('sha256').update(data).digest());
  if (digestOid === '1.3.14.3.2.26') return new Uint8Array(createHash('sha1').update(data).digest());
  throw new Error(`digest ${digestOid} not available yet`);
}
