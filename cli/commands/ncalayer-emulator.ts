// `kense ncalayer-emulator`: an NCALayer-compatible wss server over .p12 key files, for tests, the demo
// mode and anyone developing against NCALayer without Windows.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { defaultEmulatorDataDir, ensureEmulatorTls } from '../../native-bridge/signer/emulator-tls';
import { EmulatorKeyring, describeCriteria, noKeysError, scanKeyring, type KeyChoice } from '../../native-bridge/signer/emulator-keyring';
import { startNcaLayerServer, type ApprovePolicy, type EmulatorRequestSummary } from '../../native-bridge/signer/emulator-server';
import type { PasswordRequest } from '../../native-bridge/signer/bundled';
import type { CommandModule } from '../command';
import { parseFlags, usageFor } from '../args';

const HELP = `kense ncalayer-emulator --keys DIR [--password-env VAR] [--port 13579] [--approve auto|cancel|prompt]
                        [--armour] [--version 1.4] [--data DIR] [--test-keys] [--no-basics] [--kaztoken]

An NCALayer-compatible server on wss://127.0.0.1:PORT backed by the .p12 files under DIR.
  --keys DIR          folder scanned recursively for *.p12 (e.g. the НУЦ test keys: resources/test-pki)
  --password-env VAR  key password from environment variable VAR (otherwise asked in the terminal)
  --port N            listening port (default 13579; 0 = any free port)
  --approve MODE      auto: sign without asking with the first key that fits (keys valid now first, files in
                      a "revoked" folder last); cancel: answer every request as a user cancel;
                      prompt: ask in the terminal which key to use (default when run in a terminal)
  --armour            return CMS armoured as -----BEGIN CMS----- like some NCALayer builds
  --version V         version in the greeting (default 1.4)
  --data DIR          where the local CA and server certificate live (default ~/.kense/ncalayer-emulator)
  --test-keys         offer НУЦ test keys even when a request asks for production chains
                      (by default test keys are offered only to requests with signerParams.chain: [])
  --no-basics         behave like an old NCALayer: kz.gov.pki.knca.commonUtils only
  --kaztoken          answer as KAZTOKEN desktop does
On first run a local CA and a 127.0.0.1 certificate are created; clients trust the CA file printed at start
(kense sign --via ncalayer --ca FILE). Stop with Ctrl+C.
`;

// The prompter moved to cli/shared (used by several commands); re-exported for the modules that import it here.
export { TerminalPrompter } from '../shared/terminal-prompter';
import { TerminalPrompter } from '../shared/terminal-prompter';

function describeRequest(s: EmulatorRequestSummary): string {
  const what = s.format === 'info' ? 'key information' : `${s.documents} ${s.format.toUpperCase()} document${s.documents === 1 ? '' : 's'}`;
  return `${s.module.split('.').pop()}.${s.method}: ${what} [${describeCriteria(s.criteria)}]`;
}

export const command: CommandModule = {
  summary: 'run an NCALayer-compatible signing server over .p12 files',
  async run(ctx) {
    const values = parseFlags<Record<string, string | boolean | undefined>>(ctx, 'ncalayer-emulator', HELP, {
        keys: { type: 'string' },
        'password-env': { type: 'string' },
        port: { type: 'string', default: '13579' },
        approve: { type: 'string' },
        armour: { type: 'boolean' },
        version: { type: 'string', default: '1.4' },
        data: { type: 'string' },
        'test-keys': { type: 'boolean' },
        'no-basics': { type: 'boolean' },
        kaztoken: { type: 'boolean' },
    });
    if (typeof values === 'number') return values;
    const keysDir = values.keys as string | undefined;
    if (!keysDir) return usage(ctx, '--keys DIR is required');
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) return usage(ctx, '--port must be 0…65535');
    const interactive = process.stdin.isTTY === true;
    const approve = (values.approve as string | undefined) ?? (interactive ? 'prompt' : undefined);
    if (approve === undefined) return usage(ctx, '--approve auto|cancel|prompt is required when not run in a terminal');
    if (!['auto', 'cancel', 'prompt'].includes(approve)) return usage(ctx, '--approve must be auto, cancel or prompt');
    const envName = values['password-env'] as string | undefined;
    if (envName !== undefined && ctx.env[envName] === undefined) return usage(ctx, `environment variable ${envName} is not set`);
    if (approve === 'auto' && envName === undefined) return usage(ctx, '--approve auto needs --password-env VAR (nobody is there to type a password)');

    if (!existsSync(keysDir) || !statSync(keysDir).isDirectory()) return usage(ctx, `--keys ${keysDir}: no such folder`);
    const entries = await scanKeyring(keysDir);
    if (entries.length === 0) throw noKeysError(path.resolve(keysDir));
    const tls = ensureEmulatorTls(values.data ? path.resolve(values.data as string) : defaultEmulatorDataDir());
    const prompter = new TerminalPrompter(process.stdin, ctx.stderr);

    const password = async (req: PasswordRequest): Promise<string | null> => {
      if (envName !== undefined) return ctx.env[envName] ?? null;
      return prompter.askHidden(
        `${req.previous === 'wrong_password' ? `Wrong password, ${req.attemptsLeft} attempt(s) left. ` : ''}Password for ${path.basename(req.keyPath)}: `,
      );
    };
    const chooseKey =
      approve === 'prompt'
        ? (choice: KeyChoice) =>
            prompter.run(async () => {
              ctx.stderr.write(`\nRequest — ${describeRequest(choice.summary)}\n`);
              choice.candidates.forEach((c, i) => {
                const cert = c.certificate;
                const who = cert ? `${cert.commonName ?? ''}${cert.iin ? `, IIN ${cert.iin}` : ''}${cert.bin ? `, BIN ${cert.bin}` : ''}${cert.roles.length ? `, ${cert.roles.join('/')}` : ''}` : '(certificate known after the password)';
                ctx.stderr.write(`  ${i + 1}) ${path.relative(process.cwd(), c.keyPath)} — ${who}\n`);
              });
              const answer = await prompter.ask(`Key number (Enter = 1, "n" = cancel): `);
              if (answer === null || /^n/i.test(answer.trim())) return null;
              const n = answer.trim() === '' ? 1 : Number(answer.trim());
              return Number.isInteger(n) && n >= 1 && n <= choice.candidates.length ? n - 1 : null;
            })
        : undefined;
    const keyring = new EmulatorKeyring({
      keys: entries,
      password: envName === undefined ? (r) => prompter.run(() => password(r)) : password,
      ...(chooseKey ? { chooseKey } : {}),
      offerTestKeys: values['test-keys'] === true,
      // A password from the environment is the same on every attempt: one try, and the precise P12_WRONG_PASSWORD.
      maxAttempts: envName === undefined ? 3 : 1,
    });
    if (envName !== undefined) await keyring.learnCertificates(ctx.env[envName] as string);

    const approvePolicy: ApprovePolicy = approve === 'prompt' ? async () => true : (approve as 'auto' | 'cancel');
    const server = await startNcaLayerServer({
      backend: keyring,
      tls: { key: tls.keyPem, cert: tls.certPem },
      port,
      version: values.version as string,
      product: values.kaztoken ? 'kaztoken' : 'ncalayer',
      modules: { basics: values['no-basics'] !== true, commonUtils: true },
      approve: approvePolicy,
      armour: values.armour === true,
      onRequest: ({ module, method }) => ctx.stderr.write(`${new Date().toISOString()} ${module} ${method}\n`),
    });
    const known = entries.filter((e) => e.certificate).length;
    ctx.stdout.write(
      `NCALayer emulator ${values.version} listening on ${server.url}\n` +
        `TLS CA: ${tls.caPath}\n` +
        `  ${tls.created.ca ? 'CA created now' : 'CA reused'}; server certificate ${tls.created.leaf ? 'issued now' : 'reused'}, valid until ${tls.leafNotAfter.toISOString().slice(0, 10)}\n` +
        `Keys: ${entries.length} .p12 under ${path.resolve(keysDir)} (${known} with a known certificate)\n` +
        `Approve: ${approve}${values['test-keys'] ? ', test keys offered to every request' : ''}${values['no-basics'] ? ', commonUtils only' : ''}\n` +
        `Try: kense sign --via ncalayer --url ${server.url} --ca ${tls.caPath} --trust test --in FILE --out FILE.cms\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    ctx.stdout.write('NCALayer emulator stopped.\n');
    process.stdin.pause();
    return 0;
  },
};

const usage = usageFor('ncalayer-emulator', HELP);

