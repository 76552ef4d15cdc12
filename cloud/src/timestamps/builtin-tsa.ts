// The reference server's own test TSA (demo and tests only — never production): a GOST-2015 root and a TSA
// certificate (timeStamping alone, critical), made once per storage with the PKI layer's test CA kit and kept in the
// `meta` table, answering RFC 3161 requests with tokens made by the PKI layer (signTstInfo).
import { randomBytes } from 'node:crypto';
import * as pki from '../../../native-bridge/pki';
import type { KzCertificate, PrivateKeyHandle } from '../../../native-bridge/pki/types';
import { TAG, generalizedTime, integer, octetString, oid, seq, tlv } from '../../../native-bridge/pki/der';
import { gostTestKey, issue } from '../../../native-bridge/pki/ca-test-kit';
import { encodeGostPkcs8 } from '../../../native-bridge/pki/keys';
import type { Db } from '../db/connect';
import { parseTimeStampRequest, timeStampGranted, timeStampRejected } from './rfc3161';

const META_KEY = 'test_tsa';
const YEAR_MS = 365 * 86_400_000;

interface Stored {
  root: string;
  tsa: string;
  /** The TSA's private scalar (hex): a test key of a test TSA, kept with the data it stamps. */
  d: string;
}

export class BuiltinTsa {
  private constructor(
    readonly root: KzCertificate,
    readonly certificate: KzCertificate,
    private readonly key: PrivateKeyHandle,
  ) {}

  /** The storage's test TSA, made on first use. */
  static async load(db: Db, now: Date): Promise<BuiltinTsa> {
    const row = await db.selectFrom('meta').select('value').where('key', '=', META_KEY).executeTakeFirst();
    let stored: Stored;
    if (row) stored = JSON.parse(row.value) as Stored;
    else {
      const notBefore = new Date(now.getTime() - 86_400_000);
      const rootKey = gostTestKey();
      const root = issue({ subject: [[pki.X500.commonName, 'kense demo TSA root (test only)'], [pki.X500.countryName, 'KZ']], key: rootKey, ca: true, keyUsage: ['keyCertSign', 'cRLSign'], notBefore, notAfter: new Date(now.getTime() + 20 * YEAR_MS) });
      const tsaKey = gostTestKey();
      const tsa = issue({
        subject: [[pki.X500.commonName, 'kense demo TIME-STAMPING AUTHORITY (test only)'], [pki.X500.countryName, 'KZ']],
        key: tsaKey, issuer: root, keyUsage: ['digitalSignature'], eku: [pki.EKU.timeStamping], ekuCritical: true,
        notBefore, notAfter: new Date(now.getTime() + 10 * YEAR_MS),
      });
      stored = { root: Buffer.from(root.cert.der).toString('base64'), tsa: Buffer.from(tsa.cert.der).toString('base64'), d: tsaKey.d.toString(16) };
      // Two servers making one at the same instant (PostgreSQL): the first kept wins, the other reads it.
      await db.insertInto('meta').values({ key: META_KEY, value: JSON.stringify(stored) }).onConflict((oc) => oc.column('key').doNothing()).execute();
      stored = JSON.parse((await db.selectFrom('meta').select('value').where('key', '=', META_KEY).executeTakeFirstOrThrow()).value) as Stored;
    }
    const key = pki.privateKeyFromPkcs8(encodeGostPkcs8('GOST2015_512', BigInt(`0x${stored.d}`)));
    return new BuiltinTsa(pki.parseCertificate(Buffer.from(stored.root, 'base64')), pki.parseCertificate(Buffer.from(stored.tsa, 'base64')), key);
  }

  get name(): string {
    return this.certificate.commonName ?? this.certificate.subjectDn;
  }

  /** An RFC 3161 answer to a TimeStampReq (DER): a token over the request's imprint, or a rejection. */
  answer(query: Uint8Array, now: Date): Uint8Array {
    let req;
    try {
      req = parseTimeStampRequest(query);
    } catch {
      return timeStampRejected('badDataFormat: not a TimeStampReq');
    }
    if (!pki.isSupportedDigest(req.hashOid)) return timeStampRejected('badAlg: unsupported hash algorithm');
    const tst = seq(
      integer(1),
      oid(req.policy ?? pki.KZ_POLICY.tsaGost2015),
      seq(req.hashAlgorithmDer, octetString(req.hash)),
      integer(BigInt(`0x${randomBytes(15).toString('hex')}`)),
      generalizedTime(now),
      ...(req.nonce ? [tlv(TAG.INTEGER, req.nonce)] : []),
    );
    return timeStampGranted(pki.signTstInfo(tst, { key: this.key, certificate: this.certificate, genTime: now }));
  }
}
