// `kense sign`: bundled signing with a .p12 key file into an NCALayer-layout CMS.
import { readFileSync, renameSync, writeFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KenseError } from '../../contract/errors';
import { createCms, openP12 } from '../../native-bridge/pki';
import type { CommandContext, CommandModule } from '../main';

const HELP = `kense sign --p12 FILE [--password-env VAR] --in DATA --out OUT.cms [--detached]

Signs DATA with the key in FILE (an НУЦ РК .p12) and writes a DER CMS.
  --p12 FILE          key container
  --password-env VAR  read the password from environment variable VAR (otherwise you are asked)
  --in DATA           document to sign
  --out OUT.cms       where to write the signature (written atomically)
  --detached          do not put the document inside the CMS
`;

export const command: CommandModule = {
  summary: 'sign a file with a .p12 key (CMS, NCALayer layout)',
  async run(ctx) {
    let values: { p12?: string; 'password-env'?: string; in?: string; out?: string; detached?: boolean; help?: boolean };
    try {
      ({ values } = parseArgs({
        args: ctx.argv,
        options: {
          p12: { type: 'string' },
          'password-env': { type: 'string' },
          in: { type: 'string' },
          out: { type: 'string' },
          detached: { type: 'boolean' },
          help: { type: 'boolean', short: 'h' },
        },
        strict: true,
        allowPositionals: false,
      }));
    } catch (e) {
      return usage(ctx, (e as Error).message);
    }
    if (values.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    if (!values.p12 || !values.in || !values.out) return usage(ctx, '--p12, --in and --out are required');
    const envName = values['password-env'];
    if (envName !== undefined && ctx.env[envName] === undefined) return usage(ctx, `environment variable ${envName} is not set`);

    const container = readInput(values.p12);
    const data = readInput(values.in);
    let password: string | undefined = envName !== undefined ? ctx.env[envName] : await promptPassword(ctx);
    const opened = openP12(container, password ?? '');
    password = undefined; // drop our reference as early as possible; strings cannot be wiped in place
    try {
      const cms = createCms({ data, key: opened.key, certificate: opened.certificate, detached: values.detached === true });
      writeAtomically(values.out, cms);
      const c = opened.certificate;
      ctx.stdout.write(`Signed by ${c.commonName ?? c.subjectDn}${c.iin ? ` (ИИН ${c.iin})` : ''}, certificate ${c.serialNumber}\n`);
      ctx.stdout.write(`Wrote ${values.out} (${cms.length} bytes, ${values.detached ? 'detached' : 'attached'})\n`);
      return 0;
    } finally {
      opened.key.destroy();
    }
  },
};

function usage(ctx: CommandContext, problem: string): number {
  ctx.stderr.write(`kense sign: ${problem}\n\n${HELP}`);
  return 2;
}

export function readInput(file: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new KenseError('FILE_NOT_FOUND', { path: file });
    throw e;
  }
}

/** temp file in the same folder + rename: a reader never sees half a signature. */
export function writeAtomically(file: string, bytes: Uint8Array): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, bytes, { flag: 'wx' });
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // the temp file may not exist; the original error is what matters
    }
    throw e;
  }
}

/** Reads the password without echo on a terminal (raw mode); from the first stdin line otherwise. */
async function promptPassword(ctx: CommandContext): Promise<string> {
  const stdin = process.stdin;
  ctx.stderr.write('Пароль ключа / Key password: ');
  if (!stdin.isTTY) return readLine(stdin);
  return new Promise<string>((resolve, reject) => {
    let typed = '';
    stdin.setRawMode(true);
    stdin.resume();
    const finish = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      ctx.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
      typed = '';
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || (ch === '\u0004' && typed === '')) return finish(new KenseError('SIGN_CANCELLED'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch >= ' ') typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}

function readLine(stream: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve) => {
    let buf = '';
    const onData = (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      const nl = buf.search(/\r?\n/);
      if (nl >= 0) done(buf.slice(0, nl));
    };
    const done = (line: string) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.pause();
      resolve(line);
    };
    const onEnd = () => done(buf);
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.resume();
  });
}
