// `kense verify`: checks every signer of a CMS and prints who signed, with what rights, and why not valid.
import { KenseError } from '../../contract/errors';
import { loadTrustStore, verifyCms, type CmsVerdict, type SignerVerdict, type TrustStore } from '../../native-bridge/pki';
import type { CommandModule } from '../main';
import { parseFlags, readFileArg, usageFor } from '../args';

const HELP = `kense verify --in SIG.cms [--data DATA] [--trust production|test|FILE…] [--crl FILE] [--ocsp FILE] [--at ISO-TIME] [--json]

Verifies every signer of a CMS (DER, base64 or PEM).
  --in SIG.cms        the signature
  --data DATA         the signed document (required for a detached CMS)
  --trust …           trust anchors: "production" (default; the store shipped in resources/),
                      "test" (НУЦ РК test CAs — test mode only) or certificate files (repeatable)
  --crl FILE          a CRL to check revocation against (repeatable)
  --ocsp FILE         a DER OCSP response to check revocation against (repeatable)
  --at ISO-TIME       judge certificate validity at this time (default: timestamp, else signing time)
  --json              print the verdict as JSON
Exit code: 0 when every signer is valid, 1 when not, 2 on a usage error.
`;

interface Flags {
  in?: string;
  data?: string;
  trust?: string[];
  crl?: string[];
  ocsp?: string[];
  at?: string;
  json?: boolean;
  help?: boolean;
}

export const command: CommandModule = {
  summary: 'verify a CMS signature (signers, ИИН/БИН, roles, validity, revocation)',
  async run(ctx) {
    const values = parseFlags<Flags>(ctx, 'verify', HELP, {
        in: { type: 'string' },
        data: { type: 'string' },
        trust: { type: 'string', multiple: true },
        crl: { type: 'string', multiple: true },
        ocsp: { type: 'string', multiple: true },
        at: { type: 'string' },
        json: { type: 'boolean' },
    });
    if (typeof values === 'number') return values;
    if (!values.in) return usage(ctx, '--in is required');
    let at: Date | undefined;
    if (values.at !== undefined) {
      at = new Date(values.at);
      if (!/^\d{4}-\d{2}-\d{2}/.test(values.at) || Number.isNaN(at.getTime())) return usage(ctx, `--at: not an ISO time: ${values.at}`);
    }
    const trustArgs = values.trust ?? ['production'];
    const named = trustArgs.filter((t) => t === 'production' || t === 'test');
    if (named.length > 0 && (named.length > 1 || trustArgs.length > 1)) return usage(ctx, '--trust takes "production", "test", or certificate files — not a mix');
    // Files named on the command line are what the user chose to trust: every one is an anchor.
    const trust: TrustStore = named.length ? loadTrustStore(named[0] as 'production' | 'test') : loadTrustStore({ files: trustArgs, anchors: 'all' });

    const cms = readFileArg(values.in);
    const data = values.data !== undefined ? readFileArg(values.data) : undefined;
    const crls = (values.crl ?? []).map(readFileArg);
    const ocspResponses = (values.ocsp ?? []).map(readFileArg);
    const verdict = await verifyCms(cms, {
      data,
      trust,
      at,
      crls,
      ocspResponses,
      // Evidence given on the command line must be conclusive; without any, status is reported as unknown.
      revocation: crls.length && ocspResponses.length ? 'crl-or-ocsp' : crls.length ? 'crl' : ocspResponses.length ? 'ocsp' : 'auto',
    });
    if (verdict.error) {
      if (values.json) ctx.stdout.write(`${JSON.stringify(verdictJson(verdict, trust), null, 2)}\n`);
      else throw new KenseError('CMS_MALFORMED', { problem: verdict.error.message });
      return 1;
    }
    ctx.stdout.write(values.json ? `${JSON.stringify(verdictJson(verdict, trust), null, 2)}\n` : verdictText(verdict, trust));
    return verdict.valid ? 0 : 1;
  },
};

const usage = usageFor('verify', HELP);

/** The verdict as plain JSON: ISO dates, hex serials, no DER. */
export function verdictJson(v: CmsVerdict, trust: TrustStore) {
  return {
    valid: v.valid,
    detached: v.detached,
    trustStore: trust.name,
    contentLength: v.content?.length,
    error: v.error,
    signers: v.signers.map(signerJson),
  };
}

function signerJson(s: SignerVerdict) {
  const c = s.certificate;
  return {
    valid: s.valid,
    reasons: s.reasons,
    signer: c && {
      name: c.commonName,
      iin: c.iin,
      bin: c.bin,
      organization: c.organization,
      subjectType: c.subjectType,
      roles: c.roles,
      serialNumber: c.serialNumber,
      subjectDn: c.subjectDn,
      issuerDn: c.issuerDn,
      keyAlgorithm: c.keyAlgorithm,
      notBefore: c.notBefore.toISOString(),
      notAfter: c.notAfter.toISOString(),
    },
    signingTime: s.signingTime?.toISOString(),
    timestampTime: s.timestampTime?.toISOString(),
    digestAlgorithmOid: s.digestAlgorithmOid,
    signatureAlgorithmOid: s.signatureAlgorithmOid,
    chain: s.chain.map((x) => x.subjectDn),
    revocation: {
      status: s.revocation.status,
      source: s.revocation.source,
      revokedAt: s.revocation.revokedAt?.toISOString(),
      checkedAt: s.revocation.checkedAt?.toISOString(),
    },
  };
}

const ROLE_NAMES: Record<string, string> = {
  first_head: 'первый руководитель',
  sign_right: 'право подписи',
  financial: 'право подписи финансовых документов',
  hr: 'кадровик',
  employee: 'сотрудник',
  information_system: 'информационная система',
};

function verdictText(v: CmsVerdict, trust: TrustStore): string {
  const out: string[] = [`CMS: ${v.detached ? 'detached' : 'attached'}, ${v.signers.length} signer(s), trust store: ${trust.name}`];
  v.signers.forEach((s, i) => {
    const c = s.certificate;
    out.push('', `Signer ${i + 1}: ${s.valid ? 'VALID' : 'INVALID'}`);
    if (c) {
      out.push(`  name:          ${c.commonName ?? c.subjectDn}`);
      if (c.iin) out.push(`  ИИН:           ${c.iin}`);
      if (c.bin) out.push(`  БИН:           ${c.bin}`);
      if (c.organization) out.push(`  organisation:  ${c.organization}`);
      out.push(`  roles:         ${c.roles.length ? c.roles.map((r) => ROLE_NAMES[r] ?? r).join(', ') : c.subjectType === 'individual' ? 'физическое лицо' : '—'}`);
      out.push(`  certificate:   ${c.serialNumber} (${c.keyAlgorithm}), issued by ${c.issuerCommonName ?? c.issuerDn}`);
      out.push(`  validity:      ${c.notBefore.toISOString()} … ${c.notAfter.toISOString()}`);
    } else out.push('  certificate:   not found in the CMS');
    out.push(`  signing time:  ${s.signingTime?.toISOString() ?? '—'}${s.timestampTime ? `, timestamp ${s.timestampTime.toISOString()}` : ''}`);
    const r = s.revocation;
    out.push(`  revocation:    ${r.status}${r.source ? ` (${r.source})` : ''}${r.revokedAt ? `, revoked ${r.revokedAt.toISOString()}` : ''}`);
    out.push(`  reasons:       ${s.reasons.length ? s.reasons.join(', ') : '—'}`);
  });
  out.push('', v.valid ? 'VALID' : 'INVALID', '');
  return out.join('\n');
}
