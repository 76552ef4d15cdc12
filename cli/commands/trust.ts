// `kense trust`: what the production trust store holds (shipped, imported, OS store), and importing or
// removing the НУЦ РК roots a user downloaded from pki.gov.kz — the way to trust production signatures
// on a build that ships none.
import path from 'node:path';
import { KenseError, type Locale } from '../../contract/errors';
import { VERIFICATION_REASONS } from '../../contract/errors/pki';
import {
  PRODUCTION_TRUST_DIR, checkTrustCertificate, defaultUserTrustDir, importTrustCertificate, removeTrustCertificate, type KzCertificate, type LoadedTrustStore,
} from '../../native-bridge/pki';
import { productionTrust } from '../shared/verification';
import type { CommandContext, CommandModule } from '../command';
import { parseFlags, readFileArg, usageFor } from '../args';

const HELP = `kense trust list [--json]          what the production trust store holds and where each certificate comes from
kense trust import FILE…          add root/intermediate CA certificates (.cer/.crt, DER or PEM), e.g. НУЦ РК ones
                                  published after this build, downloaded from pki.gov.kz
kense trust remove SHA256         remove an imported certificate (the first 8 or more hex digits of its SHA-256)

The production store = the НУЦ РК CAs shipped in resources/trust/production (today's GOST-2015 2022,
RSA 2020/2022 and GOST-2004 2020 roots and intermediates, the state bodies' CA, BTSD CA, and the expired
2015/2018 generation for old signatures) + the ones imported here (~/.kense/trust, or the folder in
KENSE_TRUST_DIR) + НУЦ РК CAs in the OS certificate store (NCALayer installs them).
\`kense verify\`, \`kense sign\` and \`kense cert --trust production\` use it.
Compare the SHA-256 printed on import with the fingerprint НУЦ РК publishes before relying on it.
`;

const usage = usageFor('trust', HELP);
const importUsage = usageFor('trust import', HELP);
const removeUsage = usageFor('trust remove', HELP);

type Origin = 'shipped' | 'imported' | 'os';

const TEXT: Record<Locale, Record<string, string>> = {
  ru: {
    title: 'Хранилище доверенных сертификатов (production)',
    shipped: 'Поставлены со сборкой',
    imported: 'Добавлены вами',
    os: 'Из хранилища сертификатов ОС',
    none: 'нет',
    anchor: 'корневой',
    intermediate: 'промежуточный',
    until: 'действует до',
    expired: 'истёк; хранится для проверки старых подписей',
    totals: 'Корневых: {a}, промежуточных: {i}.',
    problems: 'Пропущено',
    added: 'Добавлен',
    already: 'Уже был добавлен',
    removed: 'Удалён',
    needsRoot: 'Это промежуточный сертификат: добавьте и корневой сертификат НУЦ РК, к которому он ведёт.',
    foreign: 'Внимание: это не сертификат НУЦ РК. Подписи, выданные этим центром, будут считаться доверенными.',
    compare: 'Сверьте отпечаток SHA-256 с опубликованным на pki.gov.kz.',
    noHome: 'не найдена домашняя папка: задайте HOME или KENSE_TRUST_DIR',
    hint: 'Добавить: kense trust import ФАЙЛ (сертификаты с pki.gov.kz). Тестовые ключи: --trust test.',
  },
  kk: {
    title: 'Сенімді сертификаттар қоймасы (production)',
    shipped: 'Жинақпен бірге келген',
    imported: 'Сіз қосқан',
    os: 'ОЖ сертификаттар қоймасынан',
    none: 'жоқ',
    anchor: 'түбірлік',
    intermediate: 'аралық',
    until: 'жарамды мерзімі',
    expired: 'мерзімі өткен; ескі қолтаңбаларды тексеру үшін сақталады',
    totals: 'Түбірлік: {a}, аралық: {i}.',
    problems: 'Өткізіп жіберілді',
    added: 'Қосылды',
    already: 'Бұрын қосылған',
    removed: 'Жойылды',
    needsRoot: 'Бұл аралық сертификат: ол жететін ҰКО түбірлік сертификатын да қосыңыз.',
    foreign: 'Назар аударыңыз: бұл ҰКО сертификаты емес. Осы орталық берген қолтаңбалар сенімді деп саналады.',
    compare: 'SHA-256 таңбасын pki.gov.kz сайтында жарияланғанмен салыстырыңыз.',
    noHome: 'үй қалтасы табылмады: HOME немесе KENSE_TRUST_DIR орнатыңыз',
    hint: 'Қосу: kense trust import ФАЙЛ (pki.gov.kz сертификаттары). Сынақ кілттері: --trust test.',
  },
  en: {
    title: 'Trusted certificate store (production)',
    shipped: 'Shipped with this build',
    imported: 'Imported by you',
    os: 'From the OS certificate store',
    none: 'none',
    anchor: 'root',
    intermediate: 'intermediate',
    until: 'valid until',
    expired: 'expired; kept to judge old signatures',
    totals: 'Roots: {a}, intermediates: {i}.',
    problems: 'Set aside',
    added: 'Added',
    already: 'Already imported',
    removed: 'Removed',
    needsRoot: 'This is an intermediate certificate: import the НУЦ РК root it leads to as well.',
    foreign: 'Warning: this is not an НУЦ РК certificate. Signatures from keys it issued will be trusted.',
    compare: 'Compare the SHA-256 fingerprint with the one published on pki.gov.kz.',
    noHome: 'no home folder found: set HOME or KENSE_TRUST_DIR',
    hint: 'To add: kense trust import FILE (certificates from pki.gov.kz). Test keys: --trust test.',
  },
};

function originOf(store: LoadedTrustStore, c: KzCertificate, userDir: string | undefined): Origin {
  const o = store.origins.get(c.sha256) ?? '';
  if (userDir && o.startsWith(userDir + path.sep)) return 'imported';
  if (o.startsWith(PRODUCTION_TRUST_DIR + path.sep)) return 'shipped';
  return 'os';
}

const fingerprint = (c: KzCertificate) => c.sha256.toUpperCase().replace(/(..)(?!$)/g, '$1:');
const day = (d: Date) => d.toISOString().slice(0, 10);

export const command: CommandModule = {
  summary: 'list, import or remove the trusted НУЦ РК root certificates',
  async run(ctx) {
    const [sub, ...rest] = ctx.argv;
    if (!sub || sub === '--help' || sub === '-h') {
      (sub ? ctx.stdout : ctx.stderr).write(HELP);
      return sub ? 0 : 2;
    }
    const sctx = { ...ctx, argv: rest };
    if (sub === 'list') return list(sctx);
    if (sub === 'import') return importFiles(sctx);
    if (sub === 'remove') return remove(sctx);
    return usage(ctx, `unknown subcommand "${sub}"`);
  },
};

async function list(ctx: CommandContext): Promise<number> {
  const flags = parseFlags<{ json?: boolean }>(ctx, 'trust list', HELP, { json: { type: 'boolean' } });
  if (typeof flags === 'number') return flags;
  const userDir = defaultUserTrustDir(ctx.env);
  const store = productionTrust(ctx.env);
  const entries = [
    ...store.anchors.map((c) => ({ c, role: 'anchor' as const })),
    ...store.intermediates.map((c) => ({ c, role: 'intermediate' as const })),
  ].map((e) => ({ ...e, origin: originOf(store, e.c, userDir) }));
  if (flags.json) {
    const json = {
      productionFolder: PRODUCTION_TRUST_DIR,
      userFolder: userDir ?? null,
      empty: store.anchors.length === 0,
      certificates: entries.map(({ c, role, origin }) => ({ subject: c.subjectDn, sha256: c.sha256, notAfter: c.notAfter.toISOString(), role, origin })),
      problems: store.problems,
    };
    ctx.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  const T = TEXT[ctx.locale];
  const out: string[] = [T.title, ''];
  const groups: [Origin, string, string | undefined][] = [
    ['shipped', T.shipped, PRODUCTION_TRUST_DIR],
    ['imported', T.imported, userDir],
    ['os', T.os, undefined],
  ];
  for (const [origin, label, folder] of groups) {
    const mine = entries.filter((e) => e.origin === origin);
    out.push(`${label}${folder ? ` (${folder})` : ''}: ${mine.length || T.none}`);
    for (const { c, role } of mine) out.push(`  ${T[role]}: ${c.commonName ?? c.subjectDn}`, `    SHA-256 ${fingerprint(c)}`, `    ${T.until} ${day(c.notAfter)}${c.notAfter.getTime() < Date.now() ? ` — ${T.expired}` : ''}`);
  }
  out.push('', T.totals.replace('{a}', String(store.anchors.length)).replace('{i}', String(store.intermediates.length)));
  if (store.anchors.length === 0) {
    const r = VERIFICATION_REASONS.TRUST_STORE_EMPTY;
    out.push(r.message[ctx.locale], `  → ${r.action[ctx.locale]}`, `  → ${T.hint}`);
  }
  if (store.problems.length) out.push('', `${T.problems}:`, ...store.problems.map((p) => `  ${p}`));
  ctx.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

async function importFiles(ctx: CommandContext): Promise<number> {
  const flags = parseFlags<{ positionals: string[] }>(ctx, 'trust import', HELP, {}, { positionals: true });
  if (typeof flags === 'number') return flags;
  if (flags.positionals.length === 0) return importUsage(ctx, 'name at least one certificate file');
  const T = TEXT[ctx.locale];
  const dir = defaultUserTrustDir(ctx.env);
  if (!dir) return importUsage(ctx, T.noHome);
  // All files are read and checked before anything is written: one bad file imports nothing.
  const files = flags.positionals.map((f) => ({ f, bytes: readFileArg(f) }));
  for (const { f, bytes } of files) {
    try {
      checkTrustCertificate(bytes);
    } catch (e) {
      if (e instanceof KenseError) throw new KenseError(e.code, { ...e.details, file: f });
      throw e;
    }
  }
  for (const { f, bytes } of files) {
    const r = importTrustCertificate(bytes, dir);
    const c = r.certificate;
    ctx.stdout.write(`${r.added ? T.added : T.already}: ${c.commonName ?? c.subjectDn} (${r.root ? T.anchor : T.intermediate}) — ${path.basename(f)}\n  SHA-256 ${fingerprint(c)}\n  ${T.until} ${day(c.notAfter)}\n`);
    if (!r.root) ctx.stdout.write(`  ${T.needsRoot}\n`);
    if (r.foreign) ctx.stdout.write(`  ${T.foreign}\n`);
  }
  ctx.stdout.write(`${T.compare}\n`);
  return 0;
}

async function remove(ctx: CommandContext): Promise<number> {
  const flags = parseFlags<{ positionals: string[] }>(ctx, 'trust remove', HELP, {}, { positionals: true });
  if (typeof flags === 'number') return flags;
  if (flags.positionals.length !== 1) return removeUsage(ctx, 'name one SHA-256 fingerprint (8 or more hex digits)');
  const dir = defaultUserTrustDir(ctx.env);
  if (!dir) return removeUsage(ctx, TEXT[ctx.locale].noHome);
  for (const c of removeTrustCertificate(flags.positionals[0], dir)) ctx.stdout.write(`${TEXT[ctx.locale].removed}: ${c.commonName ?? c.subjectDn}\n  SHA-256 ${fingerprint(c)}\n`);
  return 0;
}
