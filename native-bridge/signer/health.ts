// `kense doctor`: can this computer sign? Probes do real things (connect to NCALayer, scan key folders,
// read certificates, ask an HTTPS server for the time); `assessHealth` turns their results into findings
// with the fix in plain words — a pure function, tested table-driven.
import https from 'node:https';
import path from 'node:path';
import type { LocalizedText } from '../../contract/errors';
import { isKenseError } from '../../contract/errors';
import type { KzCertificate } from '../pki';
import { NcaLayerClient } from '../ncalayer/client';
import type { NcaLayerTrust } from '../ncalayer/trust';
import { certificateBeside } from './bundled';
import { isTestCertificate } from './filter';
import { findKeyFiles, parseKeyFileName, usualKeyPlaces, type KeyFileName } from './key-files';

/** No release of the app is older than this: a clock before it is certainly wrong. */
export const RELEASE_FLOOR = new Date('2026-11-01T00:00:00Z');

export interface NcaLayerProbe {
  url: string;
  status: 'running' | 'refused' | 'not_ncalayer' | 'tls_untrusted' | 'tls_pin_changed' | 'error';
  version?: string;
  product?: 'NCALayer' | 'KAZTOKEN';
  kaztokenVersion?: string;
  tlsTrustedBy?: 'ca' | 'pin';
  fingerprint256?: string;
  /** undefined when it could not be asked. */
  basics?: boolean;
  activeTokens?: string[];
  errorCode?: string;
}

export interface KeyFileProbe {
  path: string;
  name: KeyFileName;
  /** The certificate, when readable without the password. */
  certificate?: Pick<KzCertificate, 'commonName' | 'serialNumber' | 'notBefore' | 'notAfter' | 'iin' | 'bin' | 'keyAlgorithm'> & { test: boolean };
  /** Where the certificate was read: a .pem/.cer beside the key. Otherwise the container's bags are encrypted with its password. */
  certificateSource?: 'beside';
}

export interface ClockProbe {
  local: Date;
  reference?: { source: string; date: Date };
  /** Why there is no reference (offline, blocked). */
  unreachable?: string;
}

export interface HealthProbes {
  ncalayer: NcaLayerProbe;
  keyFiles: KeyFileProbe[];
  scannedPlaces: string[];
  clock: ClockProbe;
}

export type Severity = 'ok' | 'info' | 'warning' | 'problem';

export interface HealthFinding {
  id: string;
  severity: Severity;
  message: LocalizedText;
  fix?: LocalizedText;
}

export interface HealthReport {
  healthy: boolean;
  findings: HealthFinding[];
}

const DAY = 86_400_000;
/** Days before a certificate expires when doctor warns (plan), warns again (act now), and fails. */
export const EXPIRY_WARN_DAYS = [30, 14, 3] as const;
const t = (ru: string, kk: string, en: string): LocalizedText => ({ ru, kk, en });

function ncalayerFindings(n: NcaLayerProbe, haveKeyFiles: boolean): HealthFinding[] {
  const useFile = haveKeyFiles
    ? t(' Пока можно подписывать файлом ключа .p12.', ' Әзірге .p12 кілт файлымен қол қоюға болады.', ' Meanwhile you can sign with your .p12 key file.')
    : t('', '', '');
  const plus = (a: LocalizedText, b: LocalizedText): LocalizedText => ({ ru: a.ru + b.ru, kk: a.kk + b.kk, en: a.en + b.en });
  switch (n.status) {
    case 'refused':
      return [
        {
          id: 'ncalayer.not_running',
          severity: haveKeyFiles ? 'warning' : 'problem',
          message: t(`NCALayer не запущен (${n.url}).`, `NCALayer іске қосылмаған (${n.url}).`, `NCALayer is not running (${n.url}).`),
          fix: plus(
            t('Запустите NCALayer или установите его с pki.gov.kz.', 'NCALayer-ді іске қосыңыз немесе pki.gov.kz сайтынан орнатыңыз.', 'Start NCALayer, or install it from pki.gov.kz.'),
            useFile,
          ),
        },
      ];
    case 'not_ncalayer':
      return [
        {
          id: 'ncalayer.not_ncalayer',
          severity: 'problem',
          message: t('На порту NCALayer отвечает другая программа.', 'NCALayer портында басқа бағдарлама жауап береді.', 'Another program answers on the NCALayer port.'),
          fix: t('Закройте её и перезапустите NCALayer.', 'Оны жабып, NCALayer-ді қайта іске қосыңыз.', 'Close it and restart NCALayer.'),
        },
      ];
    case 'tls_untrusted':
      return [
        {
          id: 'ncalayer.tls_untrusted',
          severity: 'problem',
          message: t(
            `Сертификат NCALayer не доверенный (SHA-256 ${n.fingerprint256 ?? '?'}).`,
            `NCALayer сертификатына сенім жоқ (SHA-256 ${n.fingerprint256 ?? '?'}).`,
            `The NCALayer certificate is not trusted (SHA-256 ${n.fingerprint256 ?? '?'}).`,
          ),
          fix: t(
            'Переустановите NCALayer с pki.gov.kz или подтвердите отпечаток в настройках подписи Kense.',
            'NCALayer-ді pki.gov.kz сайтынан қайта орнатыңыз немесе Kense қол қою баптауларында іздерді растаңыз.',
            'Reinstall NCALayer from pki.gov.kz, or confirm the fingerprint in the Kense signing settings.',
          ),
        },
      ];
    case 'tls_pin_changed':
      return [
        {
          id: 'ncalayer.tls_pin_changed',
          severity: 'problem',
          message: t('Сертификат NCALayer изменился с прошлого раза.', 'NCALayer сертификаты өзгерді.', 'The NCALayer certificate changed since last time.'),
          fix: t(
            'Если вы переустанавливали NCALayer — подтвердите новый отпечаток; иначе обратитесь к администратору.',
            'NCALayer-ді қайта орнатсаңыз — жаңа іздерді растаңыз; әйтпесе әкімшіге хабарласыңыз.',
            'If you reinstalled NCALayer, confirm the new fingerprint; otherwise contact your administrator.',
          ),
        },
      ];
    case 'error':
      return [
        {
          id: 'ncalayer.error',
          severity: haveKeyFiles ? 'warning' : 'problem',
          message: t(`NCALayer не отвечает как положено (${n.errorCode ?? 'ошибка'}).`, `NCALayer дұрыс жауап бермейді (${n.errorCode ?? 'қате'}).`, `NCALayer does not answer properly (${n.errorCode ?? 'error'}).`),
          fix: plus(t('Перезапустите NCALayer.', 'NCALayer-ді қайта іске қосыңыз.', 'Restart NCALayer.'), useFile),
        },
      ];
    case 'running': {
      const basics =
        n.basics === true
          ? t('; модуль basics есть', '; basics модулі бар', '; the basics module is available')
          : t('', '', '');
      const tokens =
        n.activeTokens && n.activeTokens.length === 0
          ? t('; аппаратных токенов не подключено', '; аппараттық токендер қосылмаған', '; no hardware tokens are connected')
          : t('', '', '');
      const out: HealthFinding[] = [
        {
          id: 'ncalayer.running',
          severity: 'ok',
          message: t(
            `${n.product ?? 'NCALayer'} ${n.version ?? ''} работает, соединение ${n.tlsTrustedBy === 'pin' ? 'подтверждено отпечатком' : 'доверенное'}${basics.ru}${tokens.ru}.`,
            `${n.product ?? 'NCALayer'} ${n.version ?? ''} жұмыс істеп тұр, қосылым ${n.tlsTrustedBy === 'pin' ? 'іздермен расталған' : 'сенімді'}${basics.kk}${tokens.kk}.`,
            `${n.product ?? 'NCALayer'} ${n.version ?? ''} is running; the connection is ${n.tlsTrustedBy === 'pin' ? 'trusted by its pinned fingerprint' : 'trusted'}${basics.en}${tokens.en}.`,
          ),
        },
      ];
      if (n.basics === false) {
        out.push({
          id: 'ncalayer.outdated',
          severity: 'warning',
          message: t(
            'NCALayer устарел: нет модуля basics, пакет документов потребует пароль для каждого документа.',
            'NCALayer ескірген: basics модулі жоқ, әр құжат үшін құпиясөз сұралады.',
            'NCALayer is outdated: no basics module, so a batch asks for the password once per document.',
          ),
          fix: t('Обновите NCALayer с pki.gov.kz.', 'NCALayer-ді pki.gov.kz сайтынан жаңартыңыз.', 'Update NCALayer from pki.gov.kz.'),
        });
      }
      if (n.activeTokens && n.activeTokens.length > 0) {
        out.push({
          id: 'ncalayer.tokens',
          severity: 'info',
          message: t(`Подключены токены: ${n.activeTokens.join(', ')}.`, `Қосылған токендер: ${n.activeTokens.join(', ')}.`, `Hardware tokens present: ${n.activeTokens.join(', ')}.`),
        });
      }
      return out;
    }
  }
}

function keyFindings(keys: KeyFileProbe[], places: string[], now: Date): HealthFinding[] {
  if (keys.length === 0) {
    return [
      {
        id: 'keys.none_found',
        severity: 'info',
        message: t(
          `Файлы ключей .p12 не найдены (просмотрено: ${places.join(', ') || '—'}).`,
          `.p12 кілт файлдары табылмады (қаралды: ${places.join(', ') || '—'}).`,
          `No .p12 key files found (looked in: ${places.join(', ') || '—'}).`,
        ),
        fix: t(
          'Вставьте флешку с ключом или укажите путь к файлу в настройках подписи.',
          'Кілті бар флешканы салыңыз немесе қол қою баптауларында файл жолын көрсетіңіз.',
          'Plug in the USB stick with your key, or choose the file in the signing settings.',
        ),
      },
    ];
  }
  const out: HealthFinding[] = [];
  for (const k of keys) {
    const file = path.basename(k.path);
    const c = k.certificate;
    if (!c) {
      out.push({
        id: `keys.found:${k.path}`,
        severity: 'info',
        message: t(
          `Ключ ${k.path}: срок действия неизвестен (сертификат внутри файла зашифрован паролем).`,
          `${k.path} кілті: жарамдылық мерзімі белгісіз (сертификат құпиясөзбен шифрланған).`,
          `Key ${k.path}: expiry unknown (the certificate inside is encrypted with the password).`,
        ),
      });
      continue;
    }
    const days = Math.floor((c.notAfter.getTime() - now.getTime()) / DAY);
    const who = `${file} (${c.commonName ?? c.serialNumber}${c.test ? ', TEST' : ''})`;
    const until = c.notAfter.toISOString().slice(0, 10);
    let severity: Severity = 'ok';
    let message = t(`Ключ ${who} действует до ${until}.`, `${who} кілті ${until} дейін жарамды.`, `Key ${who} is valid until ${until}.`);
    let fix: LocalizedText | undefined;
    const renew = t('Перевыпустите ключ на pki.gov.kz (eGov).', 'Кілтті pki.gov.kz (eGov) сайтында қайта шығарыңыз.', 'Reissue the key at pki.gov.kz (eGov).');
    if (c.notBefore.getTime() > now.getTime()) {
      severity = 'problem';
      message = t(`Ключ ${who} ещё не действует (с ${c.notBefore.toISOString().slice(0, 10)}).`, `${who} кілті әлі жарамсыз.`, `Key ${who} is not valid yet (from ${c.notBefore.toISOString().slice(0, 10)}).`);
      fix = t('Проверьте дату и время компьютера.', 'Компьютердің күні мен уақытын тексеріңіз.', 'Check the date and time of this computer.');
    } else if (days < 0) {
      severity = 'problem';
      message = t(`Ключ ${who} истёк ${until}.`, `${who} кілтінің мерзімі ${until} өтті.`, `Key ${who} expired on ${until}.`);
      fix = renew;
    } else if (days <= EXPIRY_WARN_DAYS[0]) {
      // Three steps: a month ahead (plan the reissue), two weeks (reissue now), three days (signing soon stops).
      const expires = t(`Ключ ${who} истекает через ${days} дн. (${until}).`, `${who} кілтінің мерзімі ${days} күннен кейін бітеді (${until}).`, `Key ${who} expires in ${days} day(s) (${until}).`);
      if (days <= EXPIRY_WARN_DAYS[2]) {
        severity = 'problem';
        message = expires;
        fix = t(
          'Перевыпустите ключ на pki.gov.kz (eGov) сегодня: после окончания срока подписывать им нельзя.',
          'Кілтті бүгін pki.gov.kz (eGov) сайтында қайта шығарыңыз: мерзімі біткен соң онымен қол қоюға болмайды.',
          'Reissue the key at pki.gov.kz (eGov) today: once it expires it cannot sign.',
        );
      } else if (days <= EXPIRY_WARN_DAYS[1]) {
        severity = 'warning';
        message = expires;
        fix = t(
          'Перевыпустите ключ на pki.gov.kz (eGov) сейчас: осталось меньше двух недель.',
          'Кілтті қазір pki.gov.kz (eGov) сайтында қайта шығарыңыз: екі аптадан аз қалды.',
          'Reissue the key at pki.gov.kz (eGov) now: less than two weeks are left.',
        );
      } else {
        severity = 'warning';
        message = expires;
        fix = t(
          'Запланируйте перевыпуск ключа на pki.gov.kz (eGov) в ближайшие недели.',
          'Алдағы апталарда кілтті pki.gov.kz (eGov) сайтында қайта шығаруды жоспарлаңыз.',
          'Plan to reissue the key at pki.gov.kz (eGov) in the coming weeks.',
        );
      }
    }
    out.push({ id: `keys.cert:${k.path}`, severity, message, ...(fix ? { fix } : {}) });
  }
  return out;
}

function clockFindings(c: ClockProbe, keys: KeyFileProbe[]): HealthFinding[] {
  const fixClock = t(
    'Включите автоматическую синхронизацию даты и времени в настройках системы.',
    'Жүйе баптауларында күн мен уақытты автоматты синхрондауды қосыңыз.',
    'Turn on automatic date and time in the system settings.',
  );
  if (c.local.getTime() < RELEASE_FLOOR.getTime()) {
    return [
      {
        id: 'clock.before_release',
        severity: 'problem',
        message: t(
          `Часы компьютера отстают: ${c.local.toISOString()} раньше выпуска этой версии.`,
          `Компьютер сағаты қалып қойған: ${c.local.toISOString()}.`,
          `The computer clock is behind: ${c.local.toISOString()} is before this version was released.`,
        ),
        fix: fixClock,
      },
    ];
  }
  if (c.reference) {
    const skew = Math.round((c.local.getTime() - c.reference.date.getTime()) / 1000);
    if (Math.abs(skew) > 300) {
      return [
        {
          id: 'clock.skew',
          severity: 'problem',
          message: t(
            `Часы компьютера расходятся с точным временем на ${Math.round(skew / 60)} мин.`,
            `Компьютер сағаты нақты уақыттан ${Math.round(skew / 60)} минутқа ауытқиды.`,
            `The computer clock is off by ${Math.round(skew / 60)} min.`,
          ),
          fix: fixClock,
        },
      ];
    }
    return [{ id: 'clock.ok', severity: 'ok', message: t(`Часы точные (${c.reference.source}).`, `Сағат дәл (${c.reference.source}).`, `The clock is right (${c.reference.source}).`) }];
  }
  const notYet = keys.find((k) => k.certificate && k.certificate.notBefore.getTime() > c.local.getTime());
  if (notYet) {
    return [
      {
        id: 'clock.before_certificate',
        severity: 'warning',
        message: t('Часы компьютера раньше начала действия вашего сертификата.', 'Компьютер сағаты сертификаттың басталуынан ерте.', 'The computer clock is before the start of your certificate.'),
        fix: fixClock,
      },
    ];
  }
  return [
    {
      id: 'clock.unchecked',
      severity: 'info',
      message: t(
        'Точность часов проверить нельзя: нет связи с сервером времени.',
        'Сағат дәлдігін тексеру мүмкін емес: уақыт серверімен байланыс жоқ.',
        'The clock cannot be checked: no time server is reachable.',
      ),
    },
  ];
}

export function assessHealth(p: HealthProbes): HealthReport {
  const findings = [
    ...ncalayerFindings(p.ncalayer, p.keyFiles.length > 0),
    ...keyFindings(p.keyFiles, p.scannedPlaces, p.clock.reference?.date ?? p.clock.local),
    ...clockFindings(p.clock, p.keyFiles),
  ];
  return { healthy: !findings.some((f) => f.severity === 'problem'), findings };
}

// ---------- probes ----------

export async function probeNcaLayer(o: { url?: string; tls?: NcaLayerTrust; timeoutMs?: number }): Promise<NcaLayerProbe> {
  const client = new NcaLayerClient({
    ...(o.url ? { url: o.url } : {}),
    ...(o.tls ? { tls: o.tls } : {}),
    connectTimeoutMs: o.timeoutMs ?? 3000,
    greetingTimeoutMs: o.timeoutMs ?? 3000,
    heartbeatIntervalMs: 0,
    reconnect: { attempts: 0 },
  });
  const probe: NcaLayerProbe = { url: client.url, status: 'error' };
  const timeoutMs = o.timeoutMs ?? 3000;
  try {
    const product = await client.detectProduct({ timeoutMs });
    probe.status = 'running';
    probe.version = product.version;
    probe.product = product.product;
    if (product.kaztoken) probe.kaztokenVersion = product.kaztoken.version;
    probe.tlsTrustedBy = client.connection.trustedBy;
    try {
      probe.basics = await client.hasBasics({ timeoutMs });
    } catch {
      // left unknown
    }
    try {
      probe.activeTokens = await client.getActiveTokens({ timeoutMs });
    } catch {
      // left unknown
    }
  } catch (e) {
    const code = isKenseError(e) ? e.code : 'INTERNAL';
    probe.errorCode = code;
    if (code === 'NCALAYER_UNAVAILABLE') probe.status = 'refused';
    else if (code === 'NCALAYER_NOT_NCALAYER') probe.status = 'not_ncalayer';
    else if (code === 'NCALAYER_TLS_UNTRUSTED' || code === 'NCALAYER_TLS_PIN_CHANGED') {
      probe.status = code === 'NCALAYER_TLS_UNTRUSTED' ? 'tls_untrusted' : 'tls_pin_changed';
      const fp = isKenseError(e) ? e.details?.fingerprint256 : undefined;
      if (typeof fp === 'string') probe.fingerprint256 = fp;
    }
  } finally {
    client.close();
  }
  return probe;
}

export async function probeKeyFiles(places?: { path: string; depth: number }[]): Promise<{ keyFiles: KeyFileProbe[]; scannedPlaces: string[] }> {
  const where = places ?? (await usualKeyPlaces());
  const seen = new Set<string>();
  const keyFiles: KeyFileProbe[] = [];
  for (const place of where) {
    for (const file of await findKeyFiles(place.path, { maxDepth: place.depth, maxFiles: 200, maxEntries: 20_000 })) {
      if (seen.has(file)) continue;
      seen.add(file);
      const probe: KeyFileProbe = { path: file, name: parseKeyFileName(file) };
      const cert = await certificateBeside(file);
      if (cert) {
        probe.certificate = {
          commonName: cert.commonName,
          serialNumber: cert.serialNumber,
          notBefore: cert.notBefore,
          notAfter: cert.notAfter,
          iin: cert.iin,
          bin: cert.bin,
          keyAlgorithm: cert.keyAlgorithm,
          test: isTestCertificate(cert),
        };
        probe.certificateSource = 'beside';
      }
      keyFiles.push(probe);
    }
  }
  return { keyFiles, scannedPlaces: where.map((p) => p.path) };
}

/** The Date header of an HTTPS server (HEAD request). Any failure = unreachable, never an error. */
export async function probeClock(o: { url?: string; timeoutMs?: number; ca?: string } = {}): Promise<ClockProbe> {
  const url = o.url ?? 'https://pki.gov.kz/';
  const local = new Date();
  try {
    const date = await new Promise<Date>((resolve, reject) => {
      const req = https.request(url, { method: 'HEAD', timeout: o.timeoutMs ?? 3000, ...(o.ca ? { ca: o.ca } : {}) }, (res) => {
        res.resume();
        const d = res.headers.date ? new Date(res.headers.date) : undefined;
        if (d && !Number.isNaN(d.getTime())) resolve(d);
        else reject(new Error('no Date header'));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end();
    });
    return { local, reference: { source: new URL(url).host, date } };
  } catch (e) {
    return { local, unreachable: (e as Error).message.slice(0, 200) };
  }
}
