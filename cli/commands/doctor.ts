// `kense doctor`: is this computer ready to sign? NCALayer, its TLS, modules and tokens; key files and
// their expiry; the clock. Each problem comes with the fix in plain words. Exit 0 healthy, 1 not.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalizedText } from '../../contract/errors';
import { defaultPinFile } from '../../native-bridge/ncalayer/trust';
import { DEFAULT_NCALAYER_URL } from '../../native-bridge/ncalayer/protocol';
import { assessHealth, probeClock, probeKeyFiles, probeNcaLayer, type HealthFinding } from '../../native-bridge/signer/health';
import type { CommandModule } from '../main';
import { parseFlags, usageFor } from '../args';
import { ncalayerTlsTrust } from './sign';

const HELP = `kense doctor [--json] [--url wss://127.0.0.1:13579] [--ca FILE] [--keys DIR…] [--time-url URL] [--no-network]

Checks whether this computer can sign: NCALayer running, its version and TLS, the basics module,
hardware tokens; .p12 key files in the usual places (home, Desktop, Documents, Downloads, USB sticks)
and their expiry; the system clock.
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
    if (values.json) {
      ctx.stdout.write(
        `${JSON.stringify(
          {
            healthy: report.healthy,
            findings: report.findings.map((f) => ({ id: f.id, severity: f.severity, message: f.message[ctx.locale], ...(f.fix ? { fix: f.fix[ctx.locale] } : {}) })),
            probes,
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
      ctx.stdout.write(`\n${(report.healthy ? READY : NOT_READY)[l]}\n`);
    }
    return report.healthy ? 0 : 1;
  },
};

const usage = usageFor('doctor', HELP);
