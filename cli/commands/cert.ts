// `kense cert`: shows what a certificate or .p12 key says about its owner, in the НУЦ РК terms a director knows.
import { KenseError, type Locale } from '../../contract/errors';
import { type KzCertificate, type PathValidationResult, daysLeft, openP12, parseCertificate, validateSignerPath } from '../../native-bridge/pki';
import type { CommandContext, CommandModule } from '../command';
import { parseFlags, readFileArg, usageFor } from '../args';
import { TerminalPrompter } from '../shared/terminal-prompter';
import { givenEvidence, revocationSource, trustFromArgs, type TrustChoice } from '../shared/verification';
import { ROLE_NAMES } from '../shared/words';

const HELP = `kense cert (--p12 FILE [--password-env VAR] | --cert FILE) [--json] [--at DATE] [--trust production|test] [--offline]

Shows the owner, ИИН/БИН, organisation, roles, key purpose, algorithm and validity of a certificate.
  --p12 FILE          an НУЦ РК key container (.p12); the password is asked for without echo
  --password-env VAR  read the .p12 password from environment variable VAR instead
  --cert FILE         a certificate (.cer/.crt DER or PEM)
  --json              print the certificate model as JSON (dates ISO 8601, binary as hex)
  --at DATE           compute validity and days left at DATE (ISO 8601; default: now)
  --trust STORE       also check the chain against the production (see kense trust list) or the test trust store,
                      and revocation: the test kit's CRL with "test", else the CRL/OCSP the certificate names
                      (fetched and kept in ~/.kense/revocation)
  --offline           with --trust: fetch nothing, use what ~/.kense/revocation holds
`;

type Labels = Record<
  'owner' | 'iin' | 'bin' | 'organization' | 'type' | 'roles' | 'purpose' | 'algorithm' | 'serial' | 'ski' | 'validity' | 'issuer' | 'email' | 'chain' | 'revocation',
  string
>;

const LABELS: Record<Locale, Labels> = {
  ru: { owner: 'Владелец', iin: 'ИИН', bin: 'БИН', organization: 'Организация', type: 'Тип', roles: 'Роли', purpose: 'Назначение ключа', algorithm: 'Алгоритм', serial: 'Серийный номер', ski: 'Идентификатор ключа', validity: 'Срок действия', issuer: 'Издатель', email: 'E-mail', chain: 'Цепочка доверия', revocation: 'Отзыв' },
  kk: { owner: 'Иесі', iin: 'ЖСН', bin: 'БСН', organization: 'Ұйым', type: 'Түрі', roles: 'Рөлдері', purpose: 'Кілттің мақсаты', algorithm: 'Алгоритм', serial: 'Сериялық нөмір', ski: 'Кілт идентификаторы', validity: 'Жарамдылық мерзімі', issuer: 'Берген орган', email: 'E-mail', chain: 'Сенім тізбегі', revocation: 'Кері қайтару' },
  en: { owner: 'Owner', iin: 'IIN', bin: 'BIN', organization: 'Organisation', type: 'Type', roles: 'Roles', purpose: 'Key purpose', algorithm: 'Algorithm', serial: 'Serial number', ski: 'Key identifier', validity: 'Valid', issuer: 'Issuer', email: 'E-mail', chain: 'Trust chain', revocation: 'Revocation' },
};

const WORDS: Record<Locale, Record<string, string>> = {
  ru: { revoked: 'ОТОЗВАН', notRevoked: 'не отозван', revUnknown: 'неизвестно (нет действующего списка отзыва)', asOf: 'по данным на', testCrl: 'список отзыва тестового набора', individual: 'физическое лицо', legal_entity: 'сотрудник юридического лица', unknown: 'не указан', sign: 'подпись документов', auth: 'вход (аутентификация)', none: 'нет', left: 'осталось дней', expired: 'истёк', notYet: 'ещё не действует', ca: 'удостоверяющий центр', trusted: 'доверенная', bad: 'не доверенная', empty: 'не проверить: хранилище доверенных сертификатов пусто (kense trust import ФАЙЛ)' },
  kk: { revoked: 'КЕРІ ҚАЙТАРЫЛҒАН', notRevoked: 'кері қайтарылмаған', revUnknown: 'белгісіз (жарамды кері қайтару тізімі жоқ)', asOf: 'деректер күні', testCrl: 'сынақ жинағының кері қайтару тізімі', individual: 'жеке тұлға', legal_entity: 'заңды тұлғаның қызметкері', unknown: 'көрсетілмеген', sign: 'құжаттарға қол қою', auth: 'кіру (аутентификация)', none: 'жоқ', left: 'қалған күн', expired: 'мерзімі өткен', notYet: 'әлі жарамсыз', ca: 'куәландырушы орталық', trusted: 'сенімді', bad: 'сенімсіз', empty: 'тексеру мүмкін емес: сенімді сертификаттар қоймасы бос (kense trust import ФАЙЛ)' },
  en: { revoked: 'REVOKED', notRevoked: 'not revoked', revUnknown: 'unknown (no current revocation list)', asOf: 'as of', testCrl: "the test kit's CRL", individual: 'individual', legal_entity: 'employee of a legal entity', unknown: 'not stated', sign: 'signing documents', auth: 'login (authentication)', none: 'none', left: 'days left', expired: 'expired', notYet: 'not yet valid', ca: 'certification authority', trusted: 'trusted', bad: 'not trusted', empty: 'cannot be checked: the trusted certificate store is empty (kense trust import FILE)' },
};

const ALGORITHMS: Record<KzCertificate['keyAlgorithm'], string> = {
  GOST2015_512: 'GOST 34.10-2015 (512)',
  GOST2015_256: 'GOST 34.10-2015 (256)',
  GOST2004: 'GOST 34.310-2004',
  RSA: 'RSA',
};

interface Options {
  p12?: string;
  'password-env'?: string;
  cert?: string;
  json?: boolean;
  at?: string;
  trust?: string;
  offline?: boolean;
  help?: boolean;
}

export const command: CommandModule = {
  summary: 'show the owner, ИИН/БИН, roles and validity of a certificate or .p12 key',
  async run(ctx) {
    const values = parseFlags<Options>(ctx, 'cert', HELP, {
        p12: { type: 'string' },
        'password-env': { type: 'string' },
        cert: { type: 'string' },
        json: { type: 'boolean' },
        at: { type: 'string' },
        trust: { type: 'string' },
        offline: { type: 'boolean' },
    });
    if (typeof values === 'number') return values;
    if (!values.p12 === !values.cert) return usage(ctx, 'give exactly one of --p12 and --cert');
    if (values.cert && values['password-env']) return usage(ctx, '--password-env goes with --p12');
    const at = values.at ? new Date(values.at) : new Date();
    if (Number.isNaN(at.getTime())) return usage(ctx, `--at: not a date: ${values.at}`);
    if (values.trust && values.trust !== 'production' && values.trust !== 'test') return usage(ctx, '--trust is production or test');
    const envName = values['password-env'];
    if (envName !== undefined && ctx.env[envName] === undefined) return usage(ctx, `environment variable ${envName} is not set`);

    let certificate: KzCertificate;
    let localKeyId: string | undefined;
    if (values.p12) {
      const bytes = readFileArg(values.p12);
      const password = envName !== undefined ? ctx.env[envName]! : await promptPassword(ctx);
      const opened = openP12(bytes, password);
      opened.key.destroy(); // only the certificate is shown; the key is not needed
      certificate = opened.certificate;
      localKeyId = opened.localKeyId;
    } else {
      certificate = parseCertificate(readFileArg(values.cert!));
    }
    let chain: PathValidationResult | undefined;
    if (values.trust) {
      const choice = trustFromArgs([values.trust], ctx.env, { anchorsAll: false }) as TrustChoice;
      const evidence = givenEvidence([], [], choice.kind);
      chain = await validateSignerPath(certificate, { trust: choice.store, at, crls: evidence.crls, revocation: 'auto', revocationSource: revocationSource(ctx.env, { offline: values.offline === true }) });
    }

    if (values.json) ctx.stdout.write(`${JSON.stringify(certificateJson(certificate, at, localKeyId, chain), null, 2)}\n`);
    else ctx.stdout.write(describe(certificate, at, ctx.locale, chain));
    return 0;
  },
};

const usage = usageFor('cert', HELP);


/** The model as JSON: no DER blobs, dates as ISO strings, days left at `at`. */
export function certificateJson(c: KzCertificate, at: Date, localKeyId?: string, chain?: PathValidationResult): Record<string, unknown> {
  const { der: _der, issuerRaw: _issuerRaw, subjectRaw: _subjectRaw, notBefore, notAfter, ...rest } = c;
  return {
    ...rest,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: daysLeft(c, at),
    ...(localKeyId ? { localKeyId } : {}),
    ...(chain
      ? {
          chain: { trusted: chain.trusted, reasons: chain.reasons, certificates: chain.chain.map((x) => x.subjectDn) },
          revocation: { ...chain.revocation, revokedAt: chain.revocation.revokedAt?.toISOString(), checkedAt: chain.revocation.checkedAt?.toISOString(), nextUpdate: chain.revocation.nextUpdate?.toISOString(), fetchedAt: chain.revocation.fetchedAt?.toISOString() },
        }
      : {}),
  };
}

const fmt = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function describe(c: KzCertificate, at: Date, locale: Locale, chain?: PathValidationResult): string {
  const L = LABELS[locale];
  const W = WORDS[locale];
  const rows: [string, string | undefined][] = [];
  const person = [c.surname, c.givenName, c.patronymic].filter(Boolean).join(' ');
  rows.push([L.owner, person || c.commonName || c.subjectDn]);
  rows.push([L.iin, c.iin]);
  rows.push([L.bin, c.bin]);
  rows.push([L.organization, c.organization]);
  rows.push([L.email, c.email]);
  rows.push([L.type, c.isCa ? W.ca : W[c.subjectType]]);
  if (!c.isCa) rows.push([L.roles, c.roles.length ? c.roles.map((r) => ROLE_NAMES[locale][r]).join(', ') : W.none]);
  if (!c.isCa) rows.push([L.purpose, [c.canSign && W.sign, c.canAuthenticate && W.auth].filter(Boolean).join(', ') || W.none]);
  rows.push([L.algorithm, ALGORITHMS[c.keyAlgorithm]]);
  rows.push([L.serial, c.serialNumber]);
  rows.push([L.ski, c.subjectKeyId]);
  const days = daysLeft(c, at);
  const status = at < c.notBefore ? W.notYet : days < 0 ? W.expired : `${W.left}: ${days}`;
  rows.push([L.validity, `${fmt(c.notBefore)} — ${fmt(c.notAfter)} (${status})`]);
  rows.push([L.issuer, c.issuerCommonName ?? c.issuerDn]);
  if (chain) {
    const chainReasons = chain.reasons.filter((r) => r !== 'CERT_REVOKED' && r !== 'REVOCATION_UNKNOWN');
    const verdict = chain.trusted && chainReasons.length === 0 ? W.trusted : chainReasons.includes('TRUST_STORE_EMPTY') ? W.empty : `${W.bad}: ${chainReasons.join(', ')}`;
    rows.push([L.chain, verdict]);
    const r = chain.revocation;
    const from = r.origin === 'shipped_test_crl' ? W.testCrl : r.url ?? r.file ?? '';
    const revocation = r.status === 'revoked' ? `${W.revoked} ${fmt(r.revokedAt!)}` : r.status === 'good' ? W.notRevoked : W.revUnknown;
    rows.push([L.revocation, `${revocation}${r.checkedAt ? ` (${r.source?.toUpperCase()} ${W.asOf} ${fmt(r.checkedAt)}${from ? `, ${from}` : ''})` : ''}`]);
  }
  const width = Math.max(...rows.filter(([, v]) => v).map(([k]) => k.length)) + 2;
  return rows
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${`${k}:`.padEnd(width)}${v}\n`)
    .join('');
}

/** The password from the terminal without echo; from the first line of stdin when it is not a terminal. */
async function promptPassword(ctx: CommandContext): Promise<string> {
  const password = await new TerminalPrompter(process.stdin, ctx.stderr).askHidden('Пароль ключа / Key password: ');
  process.stdin.pause(); // let the process end once the certificate is printed
  // Ctrl-C / Esc: the user gave up; nothing was opened.
  if (password === null) throw new KenseError('CANCELLED', { what: 'password entry' });
  return password;
}
