// `kense verify`: checks every signer of a CMS and prints who signed, with what rights, and why not valid.
import { KenseError, type Locale } from '../../contract/errors';
import { VERIFICATION_REASONS } from '../../contract/errors/pki';
import {
  loadTrustStore, parseCrl, parseOcspResponse, verifyCms, type CmsVerdict, type KzRole, type SignerVerdict, type TrustStore, type ValidationTimeSource, type VerificationReason,
} from '../../native-bridge/pki';
import type { CommandModule } from '../main';
import { parseFlags, readFileArg, usageFor } from '../args';
import { productionTrust } from './trust';

const HELP = `kense verify --in SIG.cms [--data DATA] [--trust production|test|FILE…] [--crl FILE] [--ocsp FILE] [--at ISO-TIME] [--json]

Verifies every signer of a CMS (DER, base64 or PEM).
  --in SIG.cms        the signature
  --data DATA         the signed document (required for a detached CMS)
  --trust …           trust anchors: "production" (default: the certificates shipped in resources/,
                      those you imported with \`kense trust import\`, and НУЦ РК CAs in the OS store),
                      "test" (НУЦ РК test CAs — test mode only) or certificate files (repeatable)
  --crl FILE          a CRL to check revocation against (repeatable)
  --ocsp FILE         a DER OCSP response to check revocation against (repeatable)
  --at ISO-TIME|now   judge certificate validity and revocation at this time. Default: the time of a
                      trusted timestamp in the signature, else the signing time the signer states
                      (unconfirmed: a revocation up to now still counts); the output says which.
  --json              print the verdict as JSON
Verdict: VALID, INVALID, or INDETERMINATE (only the trust store is empty or revocation is unknown).
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
      at = values.at === 'now' ? new Date() : new Date(values.at);
      if ((values.at !== 'now' && !/^\d{4}-\d{2}-\d{2}/.test(values.at)) || Number.isNaN(at.getTime())) return usage(ctx, `--at: not an ISO time: ${values.at}`);
    }
    const trustArgs = values.trust ?? ['production'];
    const named = trustArgs.filter((t) => t === 'production' || t === 'test');
    if (named.length > 0 && (named.length > 1 || trustArgs.length > 1)) return usage(ctx, '--trust takes "production", "test", or certificate files — not a mix');
    // Files named on the command line are what the user chose to trust: every one is an anchor.
    const trust: TrustStore =
      named[0] === 'production' ? productionTrust(ctx.env) : named[0] === 'test' ? loadTrustStore('test') : loadTrustStore({ files: trustArgs, anchors: 'all' });

    const cms = readFileArg(values.in);
    const data = values.data !== undefined ? readFileArg(values.data) : undefined;
    // Files named on the command line are read up front: an unreadable one is an error naming it, not a silent "unknown".
    const crls = (values.crl ?? []).map((f) => withFile(f, () => parseCrl(readFileArg(f))));
    const ocspResponses = (values.ocsp ?? []).map((f) => withFile(f, () => parseOcspResponse(readFileArg(f))));
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
    ctx.stdout.write(values.json ? `${JSON.stringify(verdictJson(verdict, trust), null, 2)}\n` : verdictText(verdict, trust, ctx.locale, crls.length + ocspResponses.length > 0));
    return verdict.valid ? 0 : 1;
  },
};

const usage = usageFor('verify', HELP);

function withFile<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof KenseError) throw new KenseError(e.code, { ...e.details, file });
    throw e;
  }
}

/** The verdict as plain JSON: ISO dates, hex serials, no DER. */
export function verdictJson(v: CmsVerdict, trust: TrustStore) {
  return {
    valid: v.valid,
    status: cmsStatus(v),
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
    status: signerStatus(s),
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
    validationTime: s.validationTime?.toISOString(),
    validationTimeSource: s.validationTimeSource,
    problems: s.problems,
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

export type VerdictStatus = 'valid' | 'invalid' | 'indeterminate';

/** Reasons that say "could not be confirmed here", not "something is wrong with the signature". */
const UNCONFIRMED: readonly VerificationReason[] = ['TRUST_STORE_EMPTY', 'REVOCATION_UNKNOWN'];

export function signerStatus(s: SignerVerdict): VerdictStatus {
  if (s.valid) return 'valid';
  return s.reasons.length > 0 && s.reasons.every((r) => UNCONFIRMED.includes(r)) ? 'indeterminate' : 'invalid';
}

export function cmsStatus(v: CmsVerdict): VerdictStatus {
  if (v.error || v.signers.length === 0) return 'invalid';
  const all = v.signers.map(signerStatus);
  return all.includes('invalid') ? 'invalid' : all.includes('indeterminate') ? 'indeterminate' : 'valid';
}

type Word =
  | 'signer' | 'name' | 'organization' | 'roles' | 'certificate' | 'issuedBy' | 'validity' | 'signingTime' | 'timestamp' | 'judgedAt' | 'revocation'
  | 'reasons' | 'noCert' | 'individual' | 'attached' | 'detached' | 'header' | 'asOf' | 'noEvidence' | 'notes' | VerdictStatus
  | `rev_${SignerVerdict['revocation']['status']}`;

const W: Record<Locale, Record<Word, string>> = {
  ru: {
    header: 'Подпись CMS: {kind}, подписантов: {n}, хранилище доверия: {store}', attached: 'прикреплённая (документ внутри)', detached: 'отделённая от документа',
    signer: 'Подписант', name: 'Владелец', organization: 'Организация', roles: 'Роли', certificate: 'Сертификат', issuedBy: 'выдан', validity: 'Срок действия',
    signingTime: 'Время подписи', timestamp: 'метка времени', judgedAt: 'Проверено на', revocation: 'Отзыв', reasons: 'Причины', noCert: 'в подписи не найден',
    individual: 'физическое лицо', asOf: 'по данным на',
    rev_good: 'не отозван', rev_revoked: 'ОТОЗВАН', rev_unknown: 'неизвестно', noEvidence: 'список отзыва не передан: --crl ФАЙЛ', notes: 'Примечания', rev_not_checked: 'не проверялся',
    valid: 'ДЕЙСТВИТЕЛЬНА', invalid: 'НЕДЕЙСТВИТЕЛЬНА', indeterminate: 'НЕ ПОДТВЕРЖДЕНА',
  },
  kk: {
    header: 'CMS қолтаңбасы: {kind}, қол қоюшылар: {n}, сенім қоймасы: {store}', attached: 'біріктірілген (құжат ішінде)', detached: 'құжаттан бөлек',
    signer: 'Қол қоюшы', name: 'Иесі', organization: 'Ұйым', roles: 'Рөлдері', certificate: 'Сертификат', issuedBy: 'берген', validity: 'Жарамдылық мерзімі',
    signingTime: 'Қол қою уақыты', timestamp: 'уақыт белгісі', judgedAt: 'Тексерілген сәт', revocation: 'Кері қайтару', reasons: 'Себептер', noCert: 'қолтаңбада табылмады',
    individual: 'жеке тұлға', asOf: 'деректер күні',
    rev_good: 'кері қайтарылмаған', rev_revoked: 'КЕРІ ҚАЙТАРЫЛҒАН', rev_unknown: 'белгісіз', noEvidence: 'кері қайтару тізімі берілмеген: --crl ФАЙЛ', notes: 'Ескертпелер', rev_not_checked: 'тексерілмеді',
    valid: 'ЖАРАМДЫ', invalid: 'ЖАРАМСЫЗ', indeterminate: 'РАСТАЛМАДЫ',
  },
  en: {
    header: 'CMS signature: {kind}, signers: {n}, trust store: {store}', attached: 'attached (the document is inside)', detached: 'detached from the document',
    signer: 'Signer', name: 'Owner', organization: 'Organisation', roles: 'Roles', certificate: 'Certificate', issuedBy: 'issued by', validity: 'Valid',
    signingTime: 'Signing time', timestamp: 'timestamp', judgedAt: 'Judged at', revocation: 'Revocation', reasons: 'Reasons', noCert: 'not found in the signature',
    individual: 'individual', asOf: 'as of',
    rev_good: 'not revoked', rev_revoked: 'REVOKED', rev_unknown: 'unknown', noEvidence: 'no revocation list given: --crl FILE', notes: 'Notes', rev_not_checked: 'not checked',
    valid: 'VALID', invalid: 'INVALID', indeterminate: 'NOT CONFIRMED',
  },
};
const SOURCE_TEXT: Record<Locale, Record<ValidationTimeSource, string>> = {
  ru: {
    given: 'время, указанное в --at',
    timestamp: 'метка времени доверенной службы',
    signing_time: 'время подписи, указанное самим подписантом (не подтверждено меткой времени; другое время: --at)',
    now: 'текущее время',
  },
  kk: {
    given: '--at арқылы берілген уақыт',
    timestamp: 'сенімді қызметтің уақыт белгісі',
    signing_time: 'қол қоюшының өзі көрсеткен қол қою уақыты (уақыт белгісімен расталмаған; басқа уақыт: --at)',
    now: 'ағымдағы уақыт',
  },
  en: {
    given: 'the time given with --at',
    timestamp: 'a trusted timestamp',
    signing_time: 'the signing time the signer states (not confirmed by a timestamp; another time: --at)',
    now: 'the current time',
  },
};

const ROLE_NAMES: Record<Locale, Record<KzRole, string>> = {
  ru: { first_head: 'первый руководитель', sign_right: 'право подписи', financial: 'подпись финансовых документов', hr: 'кадровые документы', employee: 'сотрудник', information_system: 'информационная система' },
  kk: { first_head: 'бірінші басшы', sign_right: 'қол қою құқығы', financial: 'қаржылық құжаттарға қол қою', hr: 'кадр құжаттары', employee: 'қызметкер', information_system: 'ақпараттық жүйе' },
  en: { first_head: 'first head', sign_right: 'right to sign', financial: 'financial documents', hr: 'HR documents', employee: 'employee', information_system: 'information system' },
};

/** What the command line can do about a reason, beyond the contract's action. */
const CLI_HINTS: Record<Locale, Partial<Record<VerificationReason, string>>> = {
  ru: {
    DETACHED_DATA_MISSING: 'Укажите документ: --data ФАЙЛ.',
    TRUST_STORE_EMPTY: 'Добавить корневые сертификаты: kense trust import ФАЙЛ. Подписи тестовыми ключами: --trust test.',
    UNTRUSTED_CHAIN: 'Добавить корневой сертификат: kense trust import ФАЙЛ; посмотреть доверенные: kense trust list.',
    REVOCATION_UNKNOWN: 'Передайте список отзыва (--crl ФАЙЛ) или ответ OCSP (--ocsp ФАЙЛ), действующие на время проверки.',
  },
  kk: {
    DETACHED_DATA_MISSING: 'Құжатты көрсетіңіз: --data ФАЙЛ.',
    TRUST_STORE_EMPTY: 'Түбірлік сертификаттарды қосу: kense trust import ФАЙЛ. Сынақ кілттерінің қолтаңбалары: --trust test.',
    UNTRUSTED_CHAIN: 'Түбірлік сертификатты қосу: kense trust import ФАЙЛ; сенімділерді көру: kense trust list.',
    REVOCATION_UNKNOWN: 'Тексеру уақытына жарамды кері қайтару тізімін (--crl ФАЙЛ) немесе OCSP жауабын (--ocsp ФАЙЛ) беріңіз.',
  },
  en: {
    DETACHED_DATA_MISSING: 'Give the document: --data FILE.',
    TRUST_STORE_EMPTY: 'To add root certificates: kense trust import FILE. Signatures made with test keys: --trust test.',
    UNTRUSTED_CHAIN: 'To add a root certificate: kense trust import FILE; to see the trusted ones: kense trust list.',
    REVOCATION_UNKNOWN: 'Give a revocation list (--crl FILE) or an OCSP response (--ocsp FILE) that covers the time judged at.',
  },
};

const fmt = (d: Date) => `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

function verdictText(v: CmsVerdict, trust: TrustStore, locale: Locale, evidenceGiven: boolean): string {
  const t = W[locale];
  const labels = [t.name, t.organization, t.roles, t.certificate, t.validity, t.signingTime, t.judgedAt, t.revocation];
  const width = Math.max(...labels.map((l) => l.length)) + 2;
  const row = (label: string, value: string) => `  ${`${label}:`.padEnd(width)}${value}`;
  const out: string[] = [t.header.replace('{kind}', v.detached ? t.detached : t.attached).replace('{n}', String(v.signers.length)).replace('{store}', trust.name)];
  v.signers.forEach((s, i) => {
    const c = s.certificate;
    out.push('', `${t.signer} ${i + 1}: ${t[signerStatus(s)]}`);
    if (c) {
      out.push(row(t.name, [c.surname, c.givenName, c.patronymic].filter(Boolean).join(' ') || c.commonName || c.subjectDn));
      if (c.iin) out.push(row(locale === 'kk' ? 'ЖСН' : locale === 'en' ? 'IIN' : 'ИИН', c.iin));
      if (c.bin) out.push(row(locale === 'kk' ? 'БСН' : locale === 'en' ? 'BIN' : 'БИН', c.bin));
      if (c.organization) out.push(row(t.organization, c.organization));
      out.push(row(t.roles, c.roles.length ? c.roles.map((r) => ROLE_NAMES[locale][r]).join(', ') : c.subjectType === 'individual' ? t.individual : '—'));
      out.push(row(t.certificate, `${c.serialNumber} (${c.keyAlgorithm}), ${t.issuedBy} ${c.issuerCommonName ?? c.issuerDn}`));
      out.push(row(t.validity, `${fmt(c.notBefore)} — ${fmt(c.notAfter)}`));
    } else out.push(row(t.certificate, t.noCert));
    out.push(row(t.signingTime, `${s.signingTime ? fmt(s.signingTime) : '—'}${s.timestampTime ? `, ${t.timestamp} ${fmt(s.timestampTime)}` : ''}`));
    if (s.validationTime && s.validationTimeSource) out.push(row(t.judgedAt, `${fmt(s.validationTime)} — ${SOURCE_TEXT[locale][s.validationTimeSource]}`));
    const r = s.revocation;
    const revWhen = r.revokedAt ? ` ${fmt(r.revokedAt)}` : '';
    const revSource = r.source ? ` (${r.source.toUpperCase()}${r.checkedAt ? `, ${t.asOf} ${fmt(r.checkedAt)}` : ''})` : '';
    const revHint = r.status === 'unknown' && !evidenceGiven ? ` (${t.noEvidence})` : '';
    out.push(row(t.revocation, `${t[`rev_${r.status}`]}${revWhen}${revSource}${revHint}`));
    if (s.reasons.length) {
      out.push(`  ${t.reasons}:`);
      for (const reason of s.reasons) {
        const spec = VERIFICATION_REASONS[reason];
        out.push(`    ${reason}: ${spec.message[locale]}`, `      → ${spec.action[locale]}`);
        const hint = CLI_HINTS[locale][reason];
        if (hint) out.push(`      → ${hint}`);
      }
    }
    if (s.problems?.length) out.push(`  ${t.notes}:`, ...s.problems.map((p) => `    ${p}`));
  });
  out.push('', cmsStatus(v).toUpperCase(), '');
  return out.join('\n');
}
