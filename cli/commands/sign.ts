// `kense sign`: signs one or many files into NCALayer-layout CMS (or enveloped XMLDSig), with the
// user's .p12 through the bundled signer or through NCALayer. Several inputs are one batch: one key
// choice and one password entry.
import path from 'node:path';
import { isKenseError } from '../../contract/errors';
import { CLI_SIGNER_ROLES, SignerFilterSchema, type SignerFilter } from '../../contract/signing';
import { loadTrustStore, type TrustSource, type TrustStore } from '../../native-bridge/pki';
import { NcaLayerSigner } from '../../native-bridge/ncalayer/signer';
import { DEFAULT_NCALAYER_URL } from '../../native-bridge/ncalayer/protocol';
import { FilePinStore, defaultPinFile, type NcaLayerTrust, type TlsPeerInfo } from '../../native-bridge/ncalayer/trust';
import { BundledSigner, type PasswordRequest } from '../../native-bridge/signer/bundled';
import type { Signer } from '../../native-bridge/signer/types';
import type { CommandContext, CommandModule } from '../main';
import { parseFlags, readFileArg, usageFor, writeAtomically } from '../args';
import { TerminalPrompter } from './ncalayer-emulator';

const HELP = `kense sign [--via ncalayer|p12] --in DATA… [--out FILE | --out-dir DIR] [--detached] [--format cms|xml]
           [--signer head|right-to-sign|any] [--iin IIN] [--bin BIN]
    p12:      --p12 FILE [--password-env VAR]
    ncalayer: [--url ${DEFAULT_NCALAYER_URL}] [--ca FILE] [--trust production|test|FILE…] [--timeout SECONDS]

Signs each DATA into a DER CMS (NCALayer layout) or an XML document with an enveloped signature.
Several --in files are one batch: one key choice and one password entry.
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
  --trust …           trust for checking the signatures NCALayer returns: production (default), test
                      (НУЦ test CAs; also lets NCALayer offer test keys), or certificate files
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
    if (trustArgs.length > 1 && trustArgs.some((t) => t === 'production' || t === 'test')) return usage(ctx, '--trust production|test cannot be combined with other --trust values');
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

    const prompter = new TerminalPrompter(process.stdin, ctx.stderr);
    let signer: Signer;
    if (via === 'p12') {
      const password = async (r: PasswordRequest): Promise<string | null> => {
        if (envName !== undefined) return ctx.env[envName] ?? null;
        const again = r.previous === 'wrong_password' ? `Неверный пароль / Wrong password (${r.attemptsLeft} left). ` : '';
        return prompter.askHidden(`${again}Пароль ключа / Key password (${path.basename(r.keyPath)}): `);
      };
      signer = new BundledSigner({ keyPath: values.p12 as string, password, maxAttempts: envName !== undefined ? 1 : 3 });
    } else {
      let trust: TrustStore;
      try {
        trust = loadTrustStore(trustSource(trustArgs));
      } catch (e) {
        if (isKenseError(e)) throw e;
        return usage(ctx, `cannot load --trust: ${(e as Error).message}`);
      }
      signer = new NcaLayerSigner({
        url: values.url ?? DEFAULT_NCALAYER_URL,
        tls: tlsTrust(values.ca, ctx, prompter),
        trust,
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
      outputs.forEach((o, i) => writeAtomically(targets[i], o));
      ctx.stdout.write(`Signed by ${who.commonName ?? who.subjectDn}${who.iin ? ` (ИИН ${who.iin})` : ''}, certificate ${who.serialNumber}\n`);
      outputs.forEach((o, i) =>
        ctx.stdout.write(`Wrote ${targets[i]} (${o.length} bytes, ${format === 'xml' ? 'XMLDSig' : values.detached ? 'detached' : 'attached'})\n`),
      );
      return 0;
    } catch (e) {
      if (isKenseError(e, 'NCALAYER_TLS_UNTRUSTED') || isKenseError(e, 'NCALAYER_TLS_PIN_CHANGED')) {
        const d = e.details ?? {};
        ctx.stderr.write(`NCALayer TLS certificate: ${String(d.subject ?? '?')}, issued by ${String(d.issuer ?? '?')}\n  SHA-256 ${String(d.fingerprint256 ?? '?')}\n`);
      }
      throw e;
    } finally {
      process.off('SIGINT', onSigint);
      await signer.close();
      process.stdin.pause();
    }
  },
};

function trustSource(args: string[]): TrustSource {
  if (args.length === 0 || args[0] === 'production') return 'production';
  if (args[0] === 'test') return 'test';
  return { files: args.map((a) => path.resolve(a)) };
}

/** The emulator's CA (--ca), the НУЦ roots of the production store, and pins accepted once in a terminal. */
function tlsTrust(caFile: string | undefined, ctx: CommandContext, prompter: TerminalPrompter): NcaLayerTrust {
  const ca: (string | Uint8Array)[] = [];
  if (caFile) ca.push(new TextDecoder().decode(readFileArg(caFile)));
  else {
    const production = loadTrustStore('production');
    for (const c of [...production.anchors, ...production.intermediates]) if (c.keyAlgorithm === 'RSA') ca.push(c.der);
  }
  return {
    ...(ca.length ? { ca } : {}),
    pinStore: new FilePinStore(defaultPinFile(ctx.env)),
    ...(process.stdin.isTTY
      ? {
          confirmUnknownCertificate: async (peer: TlsPeerInfo) => {
            ctx.stderr.write(
              `NCALayer's certificate is not issued by a CA this computer trusts.\n  subject: ${peer.subject}\n  issuer:  ${peer.issuer}\n  valid until ${peer.validTo}\n  SHA-256 ${peer.fingerprint256}\n`,
            );
            const a = await prompter.ask('Trust this certificate from now on? Доверять этому сертификату? [y/N] ');
            return a !== null && /^(y|yes|д|да|и|иә)$/i.test(a.trim());
          },
        }
      : {}),
  };
}

const usage = usageFor('sign', HELP);


