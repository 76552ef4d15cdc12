// `kense cloud serve`: runs the reference kense cloud (PGlite in a data folder, or PostgreSQL) with an optional seed.
import path from 'node:path';
import { KenseError } from '../../contract/errors';
import type { CommandContext, CommandModule } from '../main';

const HELP = `kense cloud serve [options] — run the reference kense cloud API

  --data DIR              PGlite data folder (default ./.kense-data/cloud)
  --database-url URL      use PostgreSQL instead (or set DATABASE_URL)
  --port N                port on 127.0.0.1 (default 8787; 0 = any free port)
  --host ADDR             listen address (default 127.0.0.1)
  --seed demo|bench:N     demo tenant АО "ТЕСТ", or N documents for benchmarks (idempotent)
  --trust production|test trusted НУЦ РК roots (default production; --seed demo implies test)
  --revocation MODE       none | crl | ocsp | crl-or-ocsp (default crl; OCSP needs the НУЦ responder online)
  --crl FILE              a CRL file to check revocation with (repeatable; test trust loads the test CRL)
`;

interface ServeArgs {
  data: string;
  databaseUrl?: string;
  port: number;
  host: string;
  seed: { kind: 'none' } | { kind: 'demo' } | { kind: 'bench'; documents: number };
  trust?: 'production' | 'test';
  revocation: 'none' | 'crl' | 'ocsp' | 'crl-or-ocsp';
  crls: string[];
}

function bad(message: string): never {
  throw new KenseError('INVALID_INPUT', { message });
}

export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv): ServeArgs {
  const a: ServeArgs = { data: path.resolve('.kense-data/cloud'), databaseUrl: env.DATABASE_URL || undefined, port: 8787, host: '127.0.0.1', seed: { kind: 'none' }, revocation: 'crl', crls: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i] ?? bad(`${flag} needs a value`);
    switch (flag) {
      case '--data': a.data = path.resolve(value()); break;
      case '--database-url': a.databaseUrl = value(); break;
      case '--port': {
        const p = Number(value());
        if (!Number.isInteger(p) || p < 0 || p > 65535) bad('--port must be 0…65535');
        a.port = p;
        break;
      }
      case '--host': a.host = value(); break;
      case '--seed': {
        const v = value();
        const m = /^bench:(\d+)$/.exec(v);
        if (v === 'demo') a.seed = { kind: 'demo' };
        else if (m && Number(m[1]) > 0 && Number(m[1]) <= 5_000_000) a.seed = { kind: 'bench', documents: Number(m[1]) };
        else bad('--seed must be demo or bench:N');
        break;
      }
      case '--trust': {
        const v = value();
        if (v !== 'production' && v !== 'test') bad('--trust must be production or test');
        a.trust = v;
        break;
      }
      case '--revocation': {
        const v = value();
        if (!['none', 'crl', 'ocsp', 'crl-or-ocsp'].includes(v)) bad('--revocation must be none, crl, ocsp or crl-or-ocsp');
        a.revocation = v as ServeArgs['revocation'];
        break;
      }
      case '--crl': a.crls.push(path.resolve(value())); break;
      default: bad(`unknown option ${flag}`);
    }
  }
  return a;
}

async function serve(ctx: CommandContext): Promise<number> {
  const args = parseServeArgs(ctx.argv.slice(1), ctx.env);
  const { startCloud } = await import('../../cloud/src/server');
  const { TEST_CRL } = await import('../../cloud/src/signatures');
  const trust = args.trust ?? (args.seed.kind === 'demo' ? 'test' : 'production');
  const crlFiles = args.crls.length ? args.crls : trust === 'test' ? [TEST_CRL] : [];
  const out = ctx.stdout;
  out.write(`kense cloud: starting (${args.databaseUrl ? 'PostgreSQL' : `PGlite in ${args.data}`})…\n`);
  const server = await startCloud({ dataDir: args.data, databaseUrl: args.databaseUrl, port: args.port, host: args.host, seed: args.seed, trust, revocation: args.revocation, crlFiles });
  out.write(`\n  URL:        ${server.url}/v1   (OpenAPI: ${server.url}/v1/openapi.json)\n`);
  out.write(`  storage:    ${server.services.storage}${args.databaseUrl ? '' : ` (${args.data})`}\n`);
  out.write(`  trust:      ${trust}${trust === 'test' ? ' — НУЦ РК TEST roots; never use in production' : ''}\n`);
  out.write(`  revocation: ${args.revocation}${crlFiles.length ? ` (${crlFiles.map((f) => path.basename(f)).join(', ')})` : ''}${args.revocation.includes('ocsp') ? ' — OCSP needs the НУЦ responder online' : ''}\n`);
  if (server.seed) {
    const sd = server.seed;
    out.write(`\n  ${args.seed.kind === 'demo' ? 'demo tenant' : 'bench tenant'}: ${sd.company.name}, БИН ${sd.company.iinBin} — ${sd.documents} documents ${sd.created ? `seeded in ${(sd.ms / 1000).toFixed(1)} s` : '(already there)'}\n`);
    out.write('  sign in with ИИН + password (or with the test keys in resources/test-pki, password Qwerty12):\n');
    for (const u of sd.users) out.write(`    ${u.iin}  ${u.password}  ${u.role.padEnd(14)} ${u.fullName}\n`);
  }
  out.write('\n  Ctrl+C stops the server.\n');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  out.write('kense cloud: stopping…\n');
  await server.close();
  return 0;
}

export const command: CommandModule = {
  summary: 'run the reference kense cloud API (kense cloud serve --seed demo)',
  async run(ctx) {
    const sub = ctx.argv[0];
    if (!sub || sub === '--help' || sub === '-h' || (sub === 'serve' && ctx.argv.includes('--help'))) {
      ctx.stdout.write(HELP);
      return sub ? 0 : 2;
    }
    if (sub !== 'serve') {
      ctx.stderr.write(`kense cloud: unknown subcommand "${sub}"\n${HELP}`);
      return 2;
    }
    return serve(ctx);
  },
};
