// `kense sign`: signs one or many files into NCALayer-layout CMS (or enveloped XMLDSig), with the
// user's .p12 through the bundled signer or through NCALayer. Several inputs are one batch: one key
// choice and one password entry.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { isKenseError, type KenseError, type Locale, type LocalizedText } from '../../contract/errors';
import { CLI_SIGNER_ROLES, SIGNER_MISMATCH_TEXT, SignerFilterSchema, SignerMismatchSchema, type SignerFilter } from '../../contract/signing';
import { givenEvidence, revocationSource, trustFromArgs } from '../shared/verification';
import { checkSigned, warningLines } from '../shared/signed-check';
import { NcaLayerSigner } from '../../native-bridge/ncalayer/signer';
import { DEFAULT_NCALAYER_URL } from '../../native-bridge/ncalayer/protocol';
import { defaultPinFile, type TlsPeerInfo } from '../../native-bridge/ncalayer/trust';
import { BundledSigner, type PasswordRequest } from '../../native-bridge/signer/bundled';
import type { Signer } from '../../native-bridge/signer/types';
import { printError, type CommandContext, type CommandModule } from '../command';
import { parseFlags, readFileArg, usageFor, writeAtomically } from '../args';
import { TerminalPrompter } from '../shared/terminal-prompter';
import { ncalayerTlsTrust } from '../shared/ncalayer-tls';

const HELP = `kense sign [--via ncalayer|p12] --in DATA… [--out FILE | --out-dir DIR] [--detached] [--format cms|xml]
           [--signer head|right-to-sign|any] [--iin IIN] [--bin BIN] [--trust production|test|FILE…] [--offline]
    p12:      --p12 FILE [--password-env VAR]
    ncalayer: [--url ${DEFAULT_NCALAYER_URL}] [--ca FILE] [--timeout SECONDS]

Signs each DATA into a DER CMS (NCALayer layout) or an XML document with an enveloped signature.
Several --in files are one batch: one key choice and one password entry.
Before anything is written the signatures are checked: a certificate that is expired, not yet valid,
revoked or not for signing is refused; a chain that does not reach the trust store, or revocation that
cannot be learned, is a warning printed with the result.
  --via VIA           p12: the bundled signer over your key file; ncalayer: NCALayer (or the emulator)
                      (default: p12 when --p12 is given, ncalayer otherwise)
  --in DATA           document to sign (repeatable)
  --out FILE          output for a single input (written atomically)
  --out-dir DIR       output folder for several inputs: <input name>.cms, or <input name>.signed.xml
  --detached          CMS without the document inside
  --format F          cms (default) or xml (enveloped XMLDSig over the whole document)
  --signer WHO        head: first head only; right-to-sign: first head or a person with the right to sign;
                      any (default). Keys are always signature keys.
  --iin, --bin        the key must belong to this ИИН / company БИН
  --p12 FILE          key container (НУЦ РК .p12)
  --password-env VAR  key password from environment variable VAR (otherwise asked, up to 3 times)
  --url URL           NCALayer address
  --ca FILE           CA certificate trusted for NCALayer's TLS (the emulator prints its ca.crt)
  --trust …           trust for checking what was signed: production (default), test (НУЦ test CAs and the
                      test kit's CRL; also lets NCALayer offer test keys), or certificate files
  --offline           do not fetch CRLs/OCSP for that check (use ~/.kense/revocation as it is)
  --timeout SECONDS   how long to wait for NCALayer (default 600; NCALayer itself waits forever)
`;

interface Flags {
  via?: string;
  in?: string[];
  out?: string;
  'out-dir'?: string;
  detached?: boolean;
  format?: string;
  signer?: string;
  iin?: string;
  bin?: string;
  p12?: string;
  'password-env'?: string;
  url?: string;
  ca?: string;
  trust?: string[];
  offline?: boolean;
  timeout?: string;
  help?: boolean;
}

export const command: CommandModule = {
  summary: 'sign files with a .p12 key or through NCALayer (CMS or XML, batches)',
  async run(ctx) {
    const values = parseFlags<Flags>(ctx, 'sign', HELP, {
        via: { type: 'string' },
        in: { type: 'string', multiple: true },
        out: { type: 'string' },
        'out-dir': { type: 'string' },
        detached: { type: 'boolean' },
        format: { type: 'string' },
        signer: { type: 'string' },
        iin: { type: 'string' },
        bin: { type: 'string' },
        p12: { type: 'string' },
        'password-env': { type: 'string' },
        url: { type: 'string' },
        ca: { type: 'string' },
        trust: { type: 'string', multiple: true },
        offline: { type: 'boolean' },
        timeout: { type: 'string' },
    });
    if (typeof values === 'number') return values;
    const via = values.via ?? (values.p12 ? 'p12' : 'ncalayer');
    if (via !== 'p12' && via !== 'ncalayer') return usage(ctx, '--via must be ncalayer or p12');
    const inputs = values.in ?? [];
    if (inputs.length === 0) return usage(ctx, '--in is required');
    if (via === 'p12' && !values.p12) return usage(ctx, '--via p12 needs --p12 FILE');
    if (inputs.length === 1 && !values.out && !values['out-dir']) return usage(ctx, '--out FILE (or --out-dir DIR) is required');
    if (inputs.length > 1 && !values['out-dir']) return usage(ctx, 'several --in files need --out-dir DIR');
    if (inputs.length > 1 && values.out) return usage(ctx, '--out is for one input; use --out-dir DIR');
    const format = values.format ?? 'cms';
    if (format !== 'cms' && format !== 'xml') return usage(ctx, '--format must be cms or xml');
    if (format === 'xml' && values.detached) return usage(ctx, '--detached applies to CMS only');
    const role = values.signer ?? 'any';
    if (!(role in CLI_SIGNER_ROLES)) return usage(ctx, '--signer must be head, right-to-sign or any');
    const timeoutSec = values.timeout === undefined ? 600 : Number(values.timeout);
    if (!Number.isFinite(timeoutSec) || timeoutSec <= 0) return usage(ctx, '--timeout must be a positive number of seconds');
    const envName = values['password-env'];
    if (envName !== undefined && ctx.env[envName] === undefined) return usage(ctx, `environment variable ${envName} is not set`);
    const trustArgs = values.trust ?? [];
    const testMode = trustArgs[0] === 'test';
    const parsed = SignerFilterSchema.safeParse({
      purpose: 'signature',
      role: CLI_SIGNER_ROLES[role as keyof typeof CLI_SIGNER_ROLES],
      ...(values.iin ? { iin: values.iin } : {}),
      ...(values.bin ? { bin: values.bin } : {}),
      // A key file the user names is theirs to use; whether its CA is trusted is a question for verification.
      allowTestKeys: via === 'p12' || testMode,
    });
    if (!parsed.success) return usage(ctx, '--iin and --bin are 12 digits');
    const filter: SignerFilter = parsed.data;

    const documents = inputs.map(readFileArg);
    const targets = inputs.map((input) =>
      values.out ?? path.join(values['out-dir'] as string, format === 'cms' ? `${path.basename(input)}.cms` : `${path.basename(input).replace(/\.xml$/i, '')}.signed.xml`),
    );
    if (targets.some((t, i) => path.resolve(t) === path.resolve(inputs[i]))) return usage(ctx, 'an output would overwrite its input');
    const twin = targets.find((t, i) => targets.findIndex((u) => path.resolve(u) === path.resolve(t)) !== i);
    if (twin) return usage(ctx, `two inputs have the same name: both would be written to ${twin}`);
    if (values['out-dir']) {
      // Made before signing: the user should not pass NCALayer's dialog only to learn the folder is missing.
      try {
        mkdirSync(values['out-dir'], { recursive: true });
      } catch (e) {
        return usage(ctx, `cannot create --out-dir ${values['out-dir']}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
      }
    }

    let choice: ReturnType<typeof trustFromArgs>;
    try {
      choice = trustFromArgs(trustArgs, ctx.env, { anchorsAll: false });
    } catch (e) {
      if (isKenseError(e)) throw e;
      return usage(ctx, `cannot load --trust: ${(e as Error).message}`);
    }
    if (typeof choice === 'string') return usage(ctx, choice);
    const trust = choice.store;
    const evidence = givenEvidence([], [], choice.kind);

    const prompter = new TerminalPrompter(process.stdin, ctx.stderr);
    const url = values.url ?? DEFAULT_NCALAYER_URL;
    const tofu = { asked: false };
    let signer: Signer;
    if (via === 'p12') {
      const password = async (r: PasswordRequest): Promise<string | null> => {
        if (envName !== undefined) return ctx.env[envName] ?? null;
        const again = r.previous === 'wrong_password' ? `Неверный пароль / Wrong password (${r.attemptsLeft} left). ` : '';
        return prompter.askHidden(`${again}Пароль ключа / Key password (${path.basename(r.keyPath)}): `);
      };
      signer = new BundledSigner({ keyPath: values.p12 as string, password, maxAttempts: envName !== undefined ? 1 : 3 });
    } else {
      signer = new NcaLayerSigner({
        url,
        tls: ncalayerTlsTrust(values.ca ? new TextDecoder().decode(readFileArg(values.ca)) : undefined, ctx.env, confirmInTerminal(ctx, prompter, tofu)),
        trust,
        // An unknown chain is reported below as a warning, like for a key file; the rest is refused there.
        unknownChain: 'accept',
        requestTimeoutMs: timeoutSec * 1000,
        heartbeatIntervalMs: 0,
        locale: ctx.locale,
      });
    }
    // Ctrl+C while waiting for NCALayer's dialog: end the wait cleanly.
    const ac = new AbortController();
    const onSigint = () => ac.abort();
    process.once('SIGINT', onSigint);
    try {
      let outputs: Uint8Array[];
      let who;
      if (format === 'cms') {
        const r = await signer.signCms(documents, { filter, detached: values.detached === true, signal: ac.signal, locale: ctx.locale });
        outputs = r.signatures;
        who = r.certificate;
      } else {
        const texts = documents.map((d) => new TextDecoder().decode(d));
        const r = await signer.signXml(texts, { filter, signal: ac.signal, locale: ctx.locale });
        outputs = r.signed.map((x) => new TextEncoder().encode(x));
        who = r.certificate;
      }
      const check = await checkSigned(outputs, documents, { format, detached: values.detached === true, trust, evidence, source: revocationSource(ctx.env, { offline: values.offline === true }) });
      outputs.forEach((o, i) => writeAtomically(targets[i], o));
      ctx.stdout.write(`Signed by ${who.commonName ?? who.subjectDn}${who.iin ? ` (ИИН ${who.iin})` : ''}, certificate ${who.serialNumber}\n`);
      outputs.forEach((o, i) =>
        ctx.stdout.write(`Wrote ${targets[i]} (${o.length} bytes, ${format === 'xml' ? 'XMLDSig' : values.detached ? 'detached' : 'attached'})\n`),
      );
      for (const line of warningLines(check, ctx.locale, trust.name)) ctx.stderr.write(`${line}\n`);
      return 0;
    } catch (e) {
      if (!isKenseError(e)) throw e;
      printError(e, ctx);
      for (const line of explain(e, ctx.locale, { url, pinFile: defaultPinFile(ctx.env), certificateShown: tofu.asked })) ctx.stderr.write(`  ${line}\n`);
      return 1;
    } finally {
      process.off('SIGINT', onSigint);
      await signer.close();
      process.stdin.pause();
    }
  },
};

const T = (ru: string, kk: string, en: string): LocalizedText => ({ ru, kk, en });

/** Trust on first use in a terminal: the certificate and its fingerprint, then y/N. Not offered without a terminal. */
function confirmInTerminal(ctx: CommandContext, prompter: TerminalPrompter, state: { asked: boolean }): ((peer: TlsPeerInfo) => Promise<boolean>) | undefined {
  if (!process.stdin.isTTY) return undefined;
  return async (peer) => {
    state.asked = true;
    const l = ctx.locale;
    ctx.stderr.write(
      `${T('Сертификат NCALayer выдан не тем центром, которому доверяет этот компьютер.', 'NCALayer сертификатын бұл компьютер сенетін орталық бермеген.', "NCALayer's certificate is not issued by a CA this computer trusts.")[l]}\n` +
        `  subject: ${peer.subject}\n  issuer:  ${peer.issuer}\n  valid until ${peer.validTo}\n  SHA-256 ${peer.fingerprint256}\n`,
    );
    const a = await prompter.ask(`${T('Доверять этому сертификату и запомнить его? [y/N] ', 'Осы сертификатқа сеніп, оны есте сақтау керек пе? [y/N] ', 'Trust this certificate from now on? [y/N] ')[l]}`);
    return a !== null && /^(y|yes|д|да|и|иә)$/i.test(a.trim());
  };
}

/** What the error details tell, in plain words, under the error's message and action. */
function explain(e: KenseError, l: Locale, o: { url: string; pinFile: string; certificateShown: boolean }): string[] {
  const d = e.details ?? {};
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  const useKeyFile = T(
    'Подписать файлом ключа: kense sign --p12 ФАЙЛ.p12 --in …',
    'Кілт файлымен қол қою: kense sign --p12 ФАЙЛ.p12 --in …',
    'To sign with your key file instead: kense sign --p12 FILE.p12 --in …',
  )[l];
  switch (e.code) {
    case 'NCALAYER_UNAVAILABLE':
      return [`${T('Адрес', 'Мекенжай', 'Address')[l]}: ${o.url}`, useKeyFile];
    case 'NCALAYER_TLS_UNTRUSTED':
    case 'NCALAYER_TLS_PIN_CHANGED': {
      const cert = o.certificateShown ? [] : [`${T('Сертификат', 'Сертификат', 'Certificate')[l]}: ${str('subject') ?? '?'}; ${T('выдан', 'берген', 'issued by')[l]} ${str('issuer') ?? '?'}`, `SHA-256 ${str('fingerprint256') ?? '?'}`];
      if (e.code === 'NCALAYER_TLS_PIN_CHANGED') {
        return [
          ...cert,
          `${T('Запомненный отпечаток', 'Есте сақталған із', 'Pinned fingerprint')[l]}: ${str('pinnedFingerprint256') ?? '?'}`,
          T(
            `Если NCALayer переустанавливали, удалите запись ${o.url} из ${o.pinFile} и подтвердите новый отпечаток.`,
            `NCALayer қайта орнатылса, ${o.pinFile} ішінен ${o.url} жазбасын өшіріп, жаңа ізді растаңыз.`,
            `If NCALayer was reinstalled, remove the entry for ${o.url} from ${o.pinFile} and confirm the new fingerprint.`,
          )[l],
        ];
      }
      return [
        ...cert,
        T(
          'Kense доверяет NCALayer, когда его сертификат выдан НУЦ РК или центром из --ca. Иначе — доверие при первом подключении: сверьте отпечаток SHA-256 с тем, что показывает ваш NCALayer, и подтвердите его один раз; он запоминается, и смена сертификата потом будет ошибкой.',
          'Kense NCALayer-ге оның сертификатын ҰКО немесе --ca орталығы берсе сенеді. Әйтпесе — алғашқы қосылуда сену: SHA-256 ізін NCALayer көрсететінмен салыстырып, бір рет растаңыз; ол есте сақталады, кейін сертификаттың ауысуы қате болады.',
          'Kense trusts NCALayer when its certificate is issued by НУЦ РК or by the CA given with --ca. Otherwise it is trust on first use: compare the SHA-256 fingerprint with the one your NCALayer shows and confirm it once; it is remembered, and a later change of certificate is an error.',
        )[l],
        T(
          `Эмулятор: добавьте --ca <его ca.crt> (путь печатается при запуске). Свой NCALayer: запустите команду в терминале и ответьте «y» (отпечаток сохранится в ${o.pinFile}).`,
          `Эмулятор: --ca <оның ca.crt> қосыңыз (жолы іске қосқанда басылады). Өз NCALayer: команданы терминалда іске қосып, «y» деп жауап беріңіз (із ${o.pinFile} ішінде сақталады).`,
          `The emulator: add --ca <its ca.crt> (the path is printed at its start). Your own NCALayer: run this command in a terminal and answer "y" (the fingerprint is kept in ${o.pinFile}).`,
        )[l],
      ];
    }
    case 'NCALAYER_SIGN_FAILED':
      return [`NCALayer: ${str('code') ?? '?'}${str('message') ? ` — ${str('message')}` : ''}`];
    case 'NCALAYER_OUTDATED':
      return [`NCALayer ${str('version') ?? ''}: ${T('нет', 'жоқ', 'missing')[l]} ${str('missing') ?? str('reason') ?? '?'}`, useKeyFile];
    case 'SIGNER_KEY_NOT_ALLOWED': {
      const reasons = Array.isArray(d.reasons) ? d.reasons : [];
      const words = reasons.map((r) => {
        const m = SignerMismatchSchema.safeParse(r);
        return m.success ? SIGNER_MISMATCH_TEXT[m.data][l] : String(r);
      });
      const who = [str('commonName'), str('iin') && `${T('ИИН', 'ЖСН', 'IIN')[l]} ${str('iin')}`, str('serialNumber') && `${T('сертификат', 'сертификат', 'certificate')[l]} ${str('serialNumber')}`].filter(Boolean).join(', ');
      return [`${T('Ключ', 'Кілт', 'Key')[l]}: ${who}`, `${T('Почему', 'Себебі', 'Why')[l]}: ${words.join('; ')}`];
    }
    case 'SIGNER_CERTIFICATE_NOT_VALID':
    case 'NCALAYER_BAD_SIGNATURE':
    case 'NCALAYER_PROTOCOL_ERROR':
    case 'SIGNER_NO_MATCHING_KEY': {
      const reasons = Array.isArray(d.reasons) ? d.reasons.join(', ') : (str('problem') ?? str('reason'));
      return reasons ? [`${T('Причина', 'Себебі', 'Reason')[l]}: ${reasons}`] : [];
    }
    default:
      return [];
  }
}

const usage = usageFor('sign', HELP);


