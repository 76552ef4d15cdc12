// How `kense verify` (and `kense sign`'s check of what it made) says a verdict: per signer who signed,
// with what rights, the timestamp, the time judged at, revocation with where it came from and how fresh,
// and why not valid — as text in ru/kk/en, or as JSON.
import type { Locale } from '../../contract/errors';
import { VERIFICATION_REASONS, VERIFICATION_SUBINDICATIONS } from '../../contract/errors/pki';
import { overallStatus, type CmsVerdict, type SignerVerdict, type SubIndication, type TrustStore, type ValidationTimeSource, type VerdictStatus, type VerificationReason } from '../../native-bridge/pki';
import type { XmlVerdict } from '../../native-bridge/xml';
import { ROLE_NAMES, ageOf, utc } from './words';

/** A CMS or XML verdict in one shape. */
export interface Verdict {
  format: 'cms' | 'xml';
  valid: boolean;
  detached?: boolean;
  contentLength?: number;
  signers: SignerVerdict[];
  error?: { reason: 'MALFORMED'; message: string };
  /** false with --revocation none. */
  revocationChecked: boolean;
}

export function fromCms(v: CmsVerdict, revocationChecked: boolean): Verdict {
  return { format: 'cms', valid: v.valid, detached: v.detached, contentLength: v.content?.length, signers: v.signers, ...(v.error ? { error: v.error } : {}), revocationChecked };
}

export function fromXml(v: XmlVerdict, revocationChecked: boolean): Verdict {
  const signers = v.signatures.map((s) => (s.problem ? { ...s, problems: [s.problem, ...(s.problems ?? [])] } : s));
  return { format: 'xml', valid: v.valid, signers, revocationChecked };
}

export type { VerdictStatus };

/** The whole file: INVALID when one signer is (or nothing could be read), else INDETERMINATE when one is, else VALID. Each signer's status is ETSI's (native-bridge/pki/verdict.ts). */
export function verdictStatus(v: Pick<Verdict, 'error' | 'signers'>): VerdictStatus {
  return overallStatus(v.signers, v.error !== undefined);
}

const iso = (d?: Date) => d?.toISOString();

/** Names from certificates go to a terminal: control characters (НУЦ's TSA CN ends in a TAB) become spaces. */
const clean = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();

/** The verdict as plain JSON: ISO dates, hex serials, no DER. */
export function verdictJson(v: Verdict, trust: TrustStore) {
  return {
    format: v.format,
    valid: v.valid && v.signers.length > 0,
    status: verdictStatus(v),
    ...(v.format === 'cms' ? { detached: v.detached, contentLength: v.contentLength } : { signingTime: null, signingTimeNote: 'XMLDSig carries no signing time' }),
    trustStore: trust.name,
    revocationChecked: v.revocationChecked,
    error: v.error,
    signers: v.signers.map(signerJson),
  };
}

function signerJson(s: SignerVerdict) {
  const c = s.certificate;
  const r = s.revocation;
  return {
    valid: s.valid,
    status: s.status,
    subIndication: s.subIndication,
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
    signingTime: iso(s.signingTime),
    timestamp: s.timestamp ? { status: s.timestamp.status, time: iso(s.timestamp.time), tsa: s.timestamp.tsa, reason: s.timestamp.reason } : undefined,
    timestampTime: iso(s.timestampTime),
    validationTime: iso(s.validationTime),
    validationTimeSource: s.validationTimeSource,
    problems: s.problems,
    digestAlgorithmOid: s.digestAlgorithmOid,
    signatureAlgorithmOid: s.signatureAlgorithmOid,
    chain: s.chain.map((x) => x.subjectDn),
    revocation: {
      status: r.status,
      source: r.source,
      revokedAt: iso(r.revokedAt),
      checkedAt: iso(r.checkedAt),
      nextUpdate: iso(r.nextUpdate),
      origin: r.origin,
      url: r.url,
      file: r.file,
      fetchedAt: iso(r.fetchedAt),
    },
  };
}

type Word =
  | 'signer' | 'name' | 'organization' | 'roles' | 'certificate' | 'issuedBy' | 'validity' | 'signingTime' | 'timestamp' | 'judgedAt' | 'revocation'
  | 'reasons' | 'noCert' | 'individual' | 'attached' | 'detached' | 'header' | 'headerXml' | 'asOf' | 'nextUpdate' | 'noEvidence' | 'notes' | 'xmlNoTime'
  | 'tsVerified' | 'tsSetAside' | 'tsInvalid' | 'tsa' | 'notChecked' | 'notCheckedLine' | 'fetchedNow' | 'cached' | 'ago' | 'file' | 'testCrl' | 'stale'
  | VerdictStatus | `rev_${SignerVerdict['revocation']['status']}`;

const W: Record<Locale, Record<Word, string>> = {
  ru: {
    header: 'Подпись CMS: {kind}, подписантов: {n}, хранилище доверия: {store}', headerXml: 'Подпись XML (XMLDSig), подписей: {n}, хранилище доверия: {store}',
    attached: 'прикреплённая (документ внутри)', detached: 'отделённая от документа',
    signer: 'Подписант', name: 'Владелец', organization: 'Организация', roles: 'Роли', certificate: 'Сертификат', issuedBy: 'выдан', validity: 'Срок действия',
    signingTime: 'Время подписи', timestamp: 'Метка времени', judgedAt: 'Проверено на', revocation: 'Отзыв', reasons: 'Причины', noCert: 'в подписи не найден',
    individual: 'физическое лицо', asOf: 'по данным на', nextUpdate: 'следующий выпуск',
    rev_good: 'не отозван', rev_revoked: 'ОТОЗВАН', rev_unknown: 'неизвестно', rev_not_checked: 'не проверялся',
    noEvidence: 'нет действующего списка отзыва или ответа OCSP: --crl ФАЙЛ или подключение к сети; --revocation none — не проверять', notes: 'Примечания',
    xmlNoTime: '— (в подписи XMLDSig нет времени подписания)',
    tsVerified: 'подтверждена', tsSetAside: 'не учтена', tsInvalid: 'НЕДЕЙСТВИТЕЛЬНА', tsa: 'служба',
    notChecked: 'не проверялся (--revocation none)', notCheckedLine: 'Отзыв сертификатов не проверялся (--revocation none): отозванный сертификат здесь не виден.',
    fetchedNow: 'получен сейчас с', cached: 'сохранённая копия с', ago: 'получена {age} назад', file: 'файл', testCrl: 'список отзыва тестового набора', stale: 'УСТАРЕЛ',
    valid: 'ДЕЙСТВИТЕЛЬНА', invalid: 'НЕДЕЙСТВИТЕЛЬНА', indeterminate: 'НЕ ПОДТВЕРЖДЕНА',
  },
  kk: {
    header: 'CMS қолтаңбасы: {kind}, қол қоюшылар: {n}, сенім қоймасы: {store}', headerXml: 'XML қолтаңбасы (XMLDSig), қолтаңбалар: {n}, сенім қоймасы: {store}',
    attached: 'біріктірілген (құжат ішінде)', detached: 'құжаттан бөлек',
    signer: 'Қол қоюшы', name: 'Иесі', organization: 'Ұйым', roles: 'Рөлдері', certificate: 'Сертификат', issuedBy: 'берген', validity: 'Жарамдылық мерзімі',
    signingTime: 'Қол қою уақыты', timestamp: 'Уақыт белгісі', judgedAt: 'Тексерілген сәт', revocation: 'Кері қайтару', reasons: 'Себептер', noCert: 'қолтаңбада табылмады',
    individual: 'жеке тұлға', asOf: 'деректер күні', nextUpdate: 'келесі шығарылым',
    rev_good: 'кері қайтарылмаған', rev_revoked: 'КЕРІ ҚАЙТАРЫЛҒАН', rev_unknown: 'белгісіз', rev_not_checked: 'тексерілмеді',
    noEvidence: 'жарамды кері қайтару тізімі немесе OCSP жауабы жоқ: --crl ФАЙЛ немесе желіге қосылу; --revocation none — тексермеу', notes: 'Ескертпелер',
    xmlNoTime: '— (XMLDSig қолтаңбасында қол қою уақыты жоқ)',
    tsVerified: 'расталды', tsSetAside: 'ескерілмеді', tsInvalid: 'ЖАРАМСЫЗ', tsa: 'қызмет',
    notChecked: 'тексерілмеді (--revocation none)', notCheckedLine: 'Сертификаттардың кері қайтарылуы тексерілмеді (--revocation none): кері қайтарылған сертификат мұнда көрінбейді.',
    fetchedNow: 'қазір алынды:', cached: 'сақталған көшірме:', ago: '{age} бұрын алынған', file: 'файл', testCrl: 'сынақ жинағының кері қайтару тізімі', stale: 'ЕСКІРГЕН',
    valid: 'ЖАРАМДЫ', invalid: 'ЖАРАМСЫЗ', indeterminate: 'РАСТАЛМАДЫ',
  },
  en: {
    header: 'CMS signature: {kind}, signers: {n}, trust store: {store}', headerXml: 'XML signature (XMLDSig), signatures: {n}, trust store: {store}',
    attached: 'attached (the document is inside)', detached: 'detached from the document',
    signer: 'Signer', name: 'Owner', organization: 'Organisation', roles: 'Roles', certificate: 'Certificate', issuedBy: 'issued by', validity: 'Valid',
    signingTime: 'Signing time', timestamp: 'Timestamp', judgedAt: 'Judged at', revocation: 'Revocation', reasons: 'Reasons', noCert: 'not found in the signature',
    individual: 'individual', asOf: 'as of', nextUpdate: 'next update',
    rev_good: 'not revoked', rev_revoked: 'REVOKED', rev_unknown: 'unknown', rev_not_checked: 'not checked',
    noEvidence: 'no current CRL or OCSP answer: --crl FILE or a network connection; --revocation none to skip', notes: 'Notes',
    xmlNoTime: '— (an XMLDSig signature carries no signing time)',
    tsVerified: 'verified', tsSetAside: 'set aside', tsInvalid: 'INVALID', tsa: 'TSA',
    notChecked: 'not checked (--revocation none)', notCheckedLine: 'Revocation was not checked (--revocation none): a revoked certificate would not show here.',
    fetchedNow: 'fetched now from', cached: 'kept copy of', ago: 'fetched {age} ago', file: 'file', testCrl: "the test kit's CRL", stale: 'STALE',
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

/** What the command line can do about an expired certificate without proof of existence (OUT_OF_BOUNDS_*), beyond the contract's action. */
const AT_HINT: Record<Locale, string> = {
  ru: 'Если вы сами можете подтвердить, когда подпись уже существовала (например, когда её получили), проверьте на это время: --at ВРЕМЯ.',
  kk: 'Қолтаңбаның қашан болғанын өзіңіз растай алсаңыз (мысалы, оны алған кез), сол уақытқа тексеріңіз: --at УАҚЫТ.',
  en: 'If you can vouch yourself for when the signature already existed (say, when you received it), judge at that time: --at ISO-TIME.',
};

const subHint = (sub: SubIndication, locale: Locale): string | undefined => (sub.startsWith('OUT_OF_BOUNDS') ? AT_HINT[locale] : undefined);

/** What the command line can do about a reason, beyond the contract's action. */
const CLI_HINTS: Record<Locale, Partial<Record<VerificationReason, string>>> = {
  ru: {
    DETACHED_DATA_MISSING: 'Укажите документ: --data ФАЙЛ.',
    TRUST_STORE_EMPTY: 'Добавить корневые сертификаты: kense trust import ФАЙЛ. Подписи тестовыми ключами: --trust test.',
    UNTRUSTED_CHAIN: 'Добавить корневой сертификат: kense trust import ФАЙЛ; посмотреть доверенные: kense trust list. Подписи тестовыми ключами: --trust test.',
    REVOCATION_UNKNOWN: 'Передайте список отзыва (--crl ФАЙЛ) или ответ OCSP (--ocsp ФАЙЛ), действующие на время проверки, или проверьте при подключении к сети; не проверять отзыв: --revocation none.',
  },
  kk: {
    DETACHED_DATA_MISSING: 'Құжатты көрсетіңіз: --data ФАЙЛ.',
    TRUST_STORE_EMPTY: 'Түбірлік сертификаттарды қосу: kense trust import ФАЙЛ. Сынақ кілттерінің қолтаңбалары: --trust test.',
    UNTRUSTED_CHAIN: 'Түбірлік сертификатты қосу: kense trust import ФАЙЛ; сенімділерді көру: kense trust list. Сынақ кілттерінің қолтаңбалары: --trust test.',
    REVOCATION_UNKNOWN: 'Тексеру уақытына жарамды кері қайтару тізімін (--crl ФАЙЛ) немесе OCSP жауабын (--ocsp ФАЙЛ) беріңіз немесе желіге қосылғанда тексеріңіз; кері қайтаруды тексермеу: --revocation none.',
  },
  en: {
    DETACHED_DATA_MISSING: 'Give the document: --data FILE.',
    TRUST_STORE_EMPTY: 'To add root certificates: kense trust import FILE. Signatures made with test keys: --trust test.',
    UNTRUSTED_CHAIN: 'To add a root certificate: kense trust import FILE; to see the trusted ones: kense trust list. Signatures made with test keys: --trust test.',
    REVOCATION_UNKNOWN: 'Give a revocation list (--crl FILE) or an OCSP response (--ocsp FILE) that covers the time judged at, or check again when online; to skip revocation: --revocation none.',
  },
};

function revocationText(r: SignerVerdict['revocation'], t: Record<Word, string>, locale: Locale, now: Date, checked: boolean): string {
  if (!checked) return t.notChecked;
  if (r.status === 'unknown') return `${t.rev_unknown} (${t.noEvidence})`;
  if (r.status === 'not_checked') return t.rev_not_checked;
  const when = r.revokedAt ? ` ${utc(r.revokedAt)}` : '';
  const facts: string[] = [];
  if (r.source) facts.push(`${r.source.toUpperCase()}${r.checkedAt ? `, ${t.asOf} ${utc(r.checkedAt)}` : ''}`);
  if (r.nextUpdate) facts.push(`${t.nextUpdate} ${utc(r.nextUpdate)}${r.nextUpdate.getTime() < now.getTime() ? ` — ${t.stale}` : ''}`);
  const fetched = r.fetchedAt ? t.ago.replace('{age}', ageOf(now.getTime() - r.fetchedAt.getTime(), locale)) : '';
  if (r.origin === 'network') facts.push(`${t.fetchedNow} ${r.url}`);
  else if (r.origin === 'cache') facts.push(`${t.cached} ${r.url}${fetched ? `, ${fetched}` : ''}`);
  else if (r.origin === 'file') facts.push(`${t.file} ${r.file}`);
  else if (r.origin === 'shipped_test_crl') facts.push(t.testCrl);
  return `${t[`rev_${r.status}`]}${when}${facts.length ? ` (${facts.join('; ')})` : ''}`;
}

function timestampText(s: SignerVerdict, t: Record<Word, string>): string | undefined {
  const ts = s.timestamp;
  if (!ts) return undefined;
  const time = ts.time ? `${utc(ts.time)}, ` : '';
  const tsa = ts.tsa ? `${t.tsa} «${clean(ts.tsa)}»` : '';
  if (ts.status === 'valid') return `${time}${tsa} — ${t.tsVerified}`;
  return `${time}${tsa}${tsa ? ' — ' : ''}${ts.status === 'invalid' ? t.tsInvalid : t.tsSetAside}: ${ts.reason}`;
}

/**
 * The verdict as text: per signer its status with the ETSI sub-indication that decided it, what that means and what
 * to do, then the facts and every reason; the last line is VALID, INVALID or INDETERMINATE.
 */
export function verdictText(v: Verdict, trust: TrustStore, locale: Locale, now = new Date()): string {
  const t = W[locale];
  const labels = [t.name, t.organization, t.roles, t.certificate, t.validity, t.signingTime, t.timestamp, t.judgedAt, t.revocation];
  const width = Math.max(...labels.map((l) => l.length)) + 2;
  const row = (label: string, value: string) => `  ${`${label}:`.padEnd(width)}${value}`;
  const header = v.format === 'xml' ? t.headerXml : t.header.replace('{kind}', v.detached ? t.detached : t.attached);
  const out: string[] = [header.replace('{n}', String(v.signers.length)).replace('{store}', trust.name)];
  v.signers.forEach((s, i) => {
    const c = s.certificate;
    out.push('', `${t.signer} ${i + 1}: ${t[s.status]}${s.subIndication ? ` (${s.subIndication})` : ''}`);
    if (s.subIndication) {
      const spec = VERIFICATION_SUBINDICATIONS[s.subIndication];
      out.push(`  ${spec.message[locale]}`, `  → ${spec.action[locale]}`);
      const hint = subHint(s.subIndication, locale);
      if (hint) out.push(`  → ${hint}`);
    }
    if (c) {
      out.push(row(t.name, clean([c.surname, c.givenName, c.patronymic].filter(Boolean).join(' ') || c.commonName || c.subjectDn)));
      if (c.iin) out.push(row(locale === 'kk' ? 'ЖСН' : locale === 'en' ? 'IIN' : 'ИИН', c.iin));
      if (c.bin) out.push(row(locale === 'kk' ? 'БСН' : locale === 'en' ? 'BIN' : 'БИН', c.bin));
      if (c.organization) out.push(row(t.organization, clean(c.organization)));
      out.push(row(t.roles, c.roles.length ? c.roles.map((r) => ROLE_NAMES[locale][r]).join(', ') : c.subjectType === 'individual' ? t.individual : '—'));
      out.push(row(t.certificate, `${c.serialNumber} (${c.keyAlgorithm}), ${t.issuedBy} ${clean(c.issuerCommonName ?? c.issuerDn)}`));
      out.push(row(t.validity, `${utc(c.notBefore)} — ${utc(c.notAfter)}`));
    } else out.push(row(t.certificate, t.noCert));
    out.push(row(t.signingTime, v.format === 'xml' ? t.xmlNoTime : s.signingTime ? utc(s.signingTime) : '—'));
    const ts = timestampText(s, t);
    if (ts) out.push(row(t.timestamp, ts));
    if (s.validationTime && s.validationTimeSource) out.push(row(t.judgedAt, `${utc(s.validationTime)} — ${SOURCE_TEXT[locale][s.validationTimeSource]}`));
    if (c) out.push(row(t.revocation, revocationText(s.revocation, t, locale, now, v.revocationChecked)));
    if (s.reasons.length) {
      out.push(`  ${t.reasons}:`);
      for (const reason of s.reasons) {
        const spec = VERIFICATION_REASONS[reason];
        out.push(`    ${reason}: ${spec.message[locale]}`, `      → ${spec.action[locale]}`);
        const hint = CLI_HINTS[locale][reason];
        if (hint) out.push(`      → ${hint}`);
      }
    }
    if (s.problems?.length) out.push(`  ${t.notes}:`, ...s.problems.map((p) => `    ${clean(p)}`));
  });
  out.push('');
  if (!v.revocationChecked && v.signers.length) out.push(t.notCheckedLine);
  out.push(verdictStatus(v).toUpperCase(), '');
  return out.join('\n');
}
