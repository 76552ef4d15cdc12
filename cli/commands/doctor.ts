// `kense doctor`: is this computer ready to sign? NCALayer, its TLS, modules and tokens; key files and
// their expiry; the clock. Each problem comes with the fix in plain words. Exit 0 healthy, 1 not.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalizedText } from '../../contract/errors';
import { defaultPinFile } from '../../native-bridge/ncalayer/trust';
import { DEFAULT_NCALAYER_URL } from '../../native-bridge/ncalayer/protocol';
import { assessHealth, probeClock, probeKeyFiles, probeNcaLayer, type HealthFinding } from '../../native-bridge/signer/health';
import type { CommandModule } from '../command';
import { parseFlags, usageFor } from '../args';
import { FileRevocationStore, PRODUCTION_TRUST_DIR, defaultUserTrustDir } from '../../native-bridge/pki';
import { defaultRevocationDir, productionTrust } from '../shared/verification';
import { ageOf } from '../shared/words';
import { ncalayerTlsTrust } from '../shared/ncalayer-tls';

const HELP = `kense doctor [--json] [--url wss://127.0.0.1:13579] [--ca FILE] [--keys DIR…] [--time-url URL] [--no-network]

Checks whether this computer can sign: NCALayer running, its version and TLS, the basics module,
hardware tokens; .p12 key files in the usual places (home, Desktop, Documents, Downloads, USB sticks)
and their expiry; the system clock. Also says what the trust store holds and what revocation data
is kept in ~/.kense/revocation (neither changes the verdict).
  --json          machine-readable report
  --url URL       NCALayer address (default ${DEFAULT_NCALAYER_URL})
  --ca FILE       CA certificate trusted for NCALayer's TLS (e.g. the emulator's ca.crt)
  --keys DIR      look for key files here instead of the usual places (repeatable)
  --time-url URL  HTTPS server whose Date header is the reference time (default https://pki.gov.kz/)
  --no-network    do not ask a time server
Exit code: 0 healthy, 1 a problem was found, 2 usage error.
`;

const MARK: Record<HealthFinding['severity'], string> = { ok: 'ok  ', info: 'info', warning: 'WARN', problem: 'FAIL' };
const READY: LocalizedText = { ru: 'Готово к подписанию.', kk: 'Қол қоюға дайын.', en: 'Ready to sign.' };
const NOT_READY: LocalizedText = {
  ru: 'Подписывать пока нельзя: исправьте строки FAIL выше.',
  kk: 'Әзірге қол қоюға болмайды: жоғарыдағы FAIL жолдарын түзетіңіз.',
  en: 'Not ready to sign: fix the FAIL lines above.',
};
const CLI_PIN_HINT = (file: string): LocalizedText => ({
  ru: `Запомненные отпечатки лежат в ${file}: удалите запись NCALayer, только если сами его переустанавливали.`,
  kk: `Есте сақталған іздер ${file} ішінде: NCALayer жазбасын тек оны өзіңіз қайта орнатсаңыз ғана өшіріңіз.`,
  en: `Pinned fingerprints are kept in ${file}: remove the NCALayer entry only if you reinstalled it yourself.`,
});
const CLI_TLS_HINT: LocalizedText = {
  ru: 'В командной строке: для эмулятора укажите --ca <его ca.crt>; свой NCALayer подтвердите один раз командой kense sign --via ncalayer в терминале.',
  kk: 'Командалық жолда: эмулятор үшін --ca <оның ca.crt> көрсетіңіз; өз NCALayer-ді терминалда kense sign --via ncalayer командасымен бір рет растаңыз.',
  en: 'On the command line: for the emulator pass --ca <its ca.crt>; confirm your own NCALayer once with kense sign --via ncalayer in a terminal.',
};

export const command: CommandModule = {
  summary: 'check NCALayer, key files, certificate expiry and the clock',
  async run(ctx) {
    const values = parseFlags<{ json?: boolean; url?: string; ca?: string; keys?: string[]; 'time-url'?: string; 'no-network'?: boolean }>(ctx, 'doctor', HELP, {
        json: { type: 'boolean' },
        url: { type: 'string' },
        ca: { type: 'string' },
        keys: { type: 'string', multiple: true },
        'time-url': { type: 'string' },
        'no-network': { type: 'boolean' },
    });
    if (typeof values === 'number') return values;
    let ca: string | undefined;
    if (values.ca) {
      try {
        ca = readFileSync(values.ca, 'utf8');
      } catch {
        return usage(ctx, `cannot read --ca ${values.ca}`);
      }
    }
    const [ncalayer, keys, clock] = await Promise.all([
      probeNcaLayer({ url: values.url, tls: ncalayerTlsTrust(ca, ctx.env) }),
      probeKeyFiles(values.keys?.map((k) => ({ path: path.resolve(k), depth: 8 }))),
      values['no-network'] ? Promise.resolve({ local: new Date(), unreachable: 'disabled (--no-network)' }) : probeClock({ url: values['time-url'] }),
    ]);
    const probes = { ncalayer, keyFiles: keys.keyFiles, scannedPlaces: keys.scannedPlaces, clock };
    const report = assessHealth(probes);
    const verification = verificationFacts(ctx.env);
    if (values.json) {
      ctx.stdout.write(
        `${JSON.stringify(
          {
            healthy: report.healthy,
            findings: report.findings.map((f) => ({ id: f.id, severity: f.severity, message: f.message[ctx.locale], ...(f.fix ? { fix: f.fix[ctx.locale] } : {}) })),
            probes,
            verification,
          },
          null,
          2,
        )}\n`,
      );
    } else {
      const l = ctx.locale;
      for (const f of report.findings) {
        ctx.stdout.write(`${MARK[f.severity]} ${f.message[l]}\n`);
        if (f.fix && f.severity !== 'ok') ctx.stdout.write(`     → ${f.fix[l]}\n`);
        if (f.id === 'ncalayer.tls_untrusted') ctx.stdout.write(`     → ${CLI_TLS_HINT[l]}\n`);
        if (f.id === 'ncalayer.tls_pin_changed') ctx.stdout.write(`     → ${CLI_PIN_HINT(defaultPinFile(ctx.env))[l]}\n`);
      }
      for (const line of verificationLines(verification, l)) ctx.stdout.write(`info ${line}\n`);
      ctx.stdout.write(`\n${(report.healthy ? READY : NOT_READY)[l]}\n`);
    }
    return report.healthy ? 0 : 1;
  },
};

const usage = usageFor('doctor', HELP);

/** The trust store and the kept revocation data, as facts for the report. */
function verificationFacts(env: NodeJS.ProcessEnv) {
  const store = productionTrust(env);
  const userDir = defaultUserTrustDir(env);
  const origins = [...store.origins.values()];
  const shipped = origins.filter((o) => o.startsWith(PRODUCTION_TRUST_DIR + path.sep)).length;
  const imported = userDir ? origins.filter((o) => o.startsWith(userDir + path.sep)).length : 0;
  const dir = defaultRevocationDir(env);
  const kept = new FileRevocationStore(dir).list();
  const newest = kept.reduce<Date | undefined>((a, e) => (!a || e.fetchedAt > a ? e.fetchedAt : a), undefined);
  const stale = kept.filter((e) => e.nextUpdate && e.nextUpdate.getTime() < Date.now()).length;
  return {
    trust: { shipped, imported, os: origins.length - shipped - imported, roots: store.anchors.length },
    revocationCache: { folder: dir, entries: kept.length, stale, ...(newest ? { newestFetchedAt: newest.toISOString() } : {}) },
  };
}

function verificationLines(v: ReturnType<typeof verificationFacts>, l: 'ru' | 'kk' | 'en'): string[] {
  const t = v.trust;
  const c = v.revocationCache;
  const age = c.newestFetchedAt ? ageOf(Date.now() - Date.parse(c.newestFetchedAt), l) : '';
  const trust: LocalizedText = {
    ru: `Хранилище доверия: сертификатов НУЦ РК со сборкой ${t.shipped}, добавлено вами ${t.imported}, из ОС ${t.os} (корневых ${t.roots}).`,
    kk: `Сенім қоймасы: жинақпен келген ҰКО сертификаттары ${t.shipped}, сіз қосқан ${t.imported}, ОЖ-дан ${t.os} (түбірлік ${t.roots}).`,
    en: `Trust store: ${t.shipped} НУЦ РК CA certificates shipped, ${t.imported} imported by you, ${t.os} from the OS (${t.roots} roots).`,
  };
  const cache: LocalizedText =
    c.entries === 0
      ? {
          ru: `Данные об отзыве (${c.folder}): пока нет — списки отзыва загружаются при проверке подписи.`,
          kk: `Кері қайтару деректері (${c.folder}): әзірге жоқ — тізімдер қолтаңбаны тексергенде жүктеледі.`,
          en: `Revocation data (${c.folder}): none yet — revocation lists are fetched when a signature is verified.`,
        }
      : {
          ru: `Данные об отзыве (${c.folder}): ${c.entries}, устаревших ${c.stale}, последнее получено ${age} назад.`,
          kk: `Кері қайтару деректері (${c.folder}): ${c.entries}, ескіргені ${c.stale}, соңғысы ${age} бұрын алынған.`,
          en: `Revocation data (${c.folder}): ${c.entries} kept, ${c.stale} past their next update, the newest fetched ${age} ago.`,
        };
  return [trust[l], cache[l]];
}
