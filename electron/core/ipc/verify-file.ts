// verify.file: a CMS or signed XML the user dropped on the window, judged as `kense verify` judges it, with the
// CRLs this profile cached while online; the answer says how fresh they were.
import { KenseError } from '../../../contract/errors';
import type { VerifyResult } from '../../../contract/ipc';
import { overallStatus, verifyCms, type CmsVerdict, type SignerVerdict } from '../../../native-bridge/pki';
import { verifyXml } from '../../../native-bridge/xml';
import { kzIso } from '../time';
import type { Core } from '../core';
import { payloadOf } from '../signing/orchestrator';

function signerJson(s: SignerVerdict): VerifyResult['signers'][number] {
  const c = s.certificate;
  return {
    valid: s.valid,
    // ETSI EN 319 102-1, decided in native-bridge/pki/verdict.ts — the same verdict `kense verify` prints.
    status: s.status,
    subIndication: s.subIndication ?? null,
    reasons: [...s.reasons],
    signer: c
      ? {
          ...(c.commonName ? { name: c.commonName } : {}), ...(c.iin ? { iin: c.iin } : {}), ...(c.bin ? { bin: c.bin } : {}), ...(c.organization ? { organization: c.organization } : {}),
          subjectType: c.subjectType, roles: [...c.roles], serialNumber: c.serialNumber, notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(),
        }
      : null,
    signingTime: s.signingTime?.toISOString() ?? null,
    timestampTime: s.timestampTime?.toISOString() ?? null,
    validationTime: s.validationTime?.toISOString() ?? null,
    problems: [...(s.problems ?? [])],
    revocation: {
      status: s.revocation.status, source: s.revocation.source ?? null, checkedAt: s.revocation.checkedAt?.toISOString() ?? null,
      origin: s.revocation.origin ?? null, fetchedAt: s.revocation.fetchedAt?.toISOString() ?? null, nextUpdate: s.revocation.nextUpdate?.toISOString() ?? null,
    },
  };
}

export async function verifyFile(core: Core, i: { fileName: string; contentBase64: string; dataBase64?: string }): Promise<VerifyResult> {
  const bytes = new Uint8Array(Buffer.from(i.contentBase64, 'base64'));
  const data = i.dataBase64 !== undefined ? new Uint8Array(Buffer.from(i.dataBase64, 'base64')) : undefined;
  const p = core.open;
  const trust = core.trustStore(p?.info.trust ?? 'production');
  const now = core.now();
  const atHand = core.crlsAtHand(p?.info.trust ?? 'production');
  const source = p ? { revocationSource: core.revocationSource(p) } : {};
  /** What the profile keeps, after the verification (which may just have fetched): how fresh each CRL is. */
  const revocationData = () => {
    const crls = (p ? core.revocationCache(p).crls() : []).map((c) => ({
      issuer: c.key, thisUpdate: kzIso(c.thisUpdate), nextUpdate: c.nextUpdate ? kzIso(c.nextUpdate) : null, fetchedAt: kzIso(c.fetchedAt), fresh: !c.nextUpdate || c.nextUpdate.getTime() >= now.getTime(),
    }));
    return { crls, notice: crls.some((c) => !c.fresh) ? payloadOf(new KenseError('REVOCATION_DATA_STALE'), core.locale()) : null };
  };
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart();
  if (head.startsWith('<')) {
    let v;
    try {
      v = await verifyXml(bytes, { trust, at: now, crls: atHand, ...source });
    } catch (e) {
      return { format: 'xml', status: 'invalid', valid: false, detached: false, error: e instanceof KenseError ? e.code : 'unreadable XML', signers: [], revocationData: revocationData() };
    }
    const js = v.signatures.map(signerJson);
    return { format: 'xml', status: overallStatus(js), valid: v.valid, detached: false, error: null, signers: js, revocationData: revocationData() };
  }
  const v: CmsVerdict = await verifyCms(bytes, { ...(data ? { data } : {}), trust, crls: atHand, revocation: 'auto', ...source });
  const js = v.signers.map(signerJson);
  return { format: 'cms', status: overallStatus(js, !!v.error), valid: v.valid, detached: v.detached, error: v.error?.message ?? null, signers: js, revocationData: revocationData() };
}
