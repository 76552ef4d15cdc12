// `kense cloud serve`: runs the reference kense cloud (PGlite in a data folder, or PostgreSQL) with an optional seed;
// `kense cloud restore-epoch`: after restoring its database from a backup, makes every device download afresh;
// `kense cloud record-payment`: kense's operator records a client's payment from the bank statement.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { CommandContext, CommandModule } from '../command';
import { parseFlags, readFileArg, usageFor } from '../args';
import { kzDate } from '../../contract/kz-calendar';
import type { TrustMode } from '../../cloud/src/config';
import type { TrustDecision, TrustRecord, TrustSource } from '../../cloud/src/trust-record';
import { OPERATOR_PAYMENTS_PATH, OPERATOR_SUPPORT_PATH, OPERATOR_TOKEN_MIN_LENGTH, zOperatorPaymentRequest } from '../../contract/cloud/operator';

const SERVE_HELP = `kense cloud serve [options] — run the reference kense cloud API

  --data DIR              PGlite data folder (default ./.kense-data/cloud); one process per folder: the server
                          holds an OS lock on it while it runs, a second one is refused (STORAGE_IN_USE)
  --database-url URL      use PostgreSQL instead (or set DATABASE_URL)
  --port N                port on the listen address (default 8787; 0 = any free port)
  --host ADDR             listen address (default 127.0.0.1)
  --seed demo|bench:N     demo tenant АО "ТЕСТ" (demo:N: with N acts instead of 5 000), or N documents for
                          benchmarks (idempotent)
  --trust production|test trusted НУЦ РК roots. The storage remembers its mode: a start without --trust uses
                          the one recorded in it (a new one: production; --seed demo implies test), so a demo
                          folder restarted without --seed keeps test trust. --trust (or --seed demo) records
                          its mode for later starts; the start-up banner says which mode and why
  --revocation MODE       none | crl | ocsp | crl-or-ocsp (default crl-or-ocsp): besides the --crl files, the CRLs
                          a signer's certificate names are fetched (15 s at most) and kept in the database until
                          their next update; OCSP is asked when no current CRL is at hand (crl: never). No
                          evidence at all refuses the signature (CERT_REVOCATION_UNKNOWN)
  --crl FILE              a CRL file to check revocation with (repeatable; test trust loads the test CRL)
  --tsa builtin|none|URL  who stamps signatures that arrive without a timestamp (CAdES-T): builtin = this server's
                          own test TSA (demo only), URL = an RFC 3161 TSA such as НУЦ РК's (http://tsp.pki.gov.kz);
                          default builtin with --seed demo or for a demo folder under test trust, none otherwise
  --tsa-root FILE         a root certificate (DER or PEM) the --tsa URL's TSA chains to, besides the НУЦ РК roots
                          (a private or test TSA; repeatable)
  --new-epoch             start a new database epoch first (see kense cloud restore-epoch)
  --operator-token-env VAR  open kense's operator routes (payments ${OPERATOR_PAYMENTS_PATH}, support answers
                          ${OPERATOR_SUPPORT_PATH}) to the token in the environment variable VAR (at least
                          ${OPERATOR_TOKEN_MIN_LENGTH} characters; never printed or logged); works with --seed demo too
`;

const RESTORE_HELP = `kense cloud restore-epoch [--data DIR | --database-url URL] — after restoring the database from a backup

Starts a new database epoch: every sync cursor a device holds answers CURSOR_RESET, so each device downloads
its data afresh (its unsent signatures stay in its outbox and are sent again). The server also notices a restore
by itself (feed segments, see cloud/README.md); this command is the explicit, belt-and-braces step.
  --data DIR              PGlite data folder (default ./.kense-data/cloud)
  --database-url URL      PostgreSQL instead (or set DATABASE_URL)
`;

const PAYMENT_HELP = `kense cloud record-payment --invoice ID [options] — kense's operator records a client's payment

Stands in for the import of kense's bank statement: clients cannot declare their own payments. The invoice is
paid once what was received reaches its total (a part payment leaves a blocked subscription blocked); paying it
unblocks at once, notifies the client and is in the client's audit log as done by kense's operator.
  --invoice ID            the invoice (UUID, as the client's app and GET /v1/invoices show it)
  --amount TIYN           received, in tiyn (1 ₸ = 100); default: all that is still due. More than is due is refused
  --paid-at INSTANT       when the payer paid, ISO 8601 with an offset (2026-11-25T10:30:00+05:00); default now
  --reference TEXT        the payment document number on the statement; the same reference again changes nothing
                          (default: a generated one — then a repeat records the money twice)
  --data DIR              PGlite data folder (default ./.kense-data/cloud). PGlite serves one process: a folder in
                          use by a running server is refused (STORAGE_IN_USE) — stop it first, or use its operator
                          route (serve --operator-token-env)
  --database-url URL      PostgreSQL instead (or set DATABASE_URL); the server may keep running
`;

const HELP = `kense cloud serve | restore-epoch | record-payment — the reference kense cloud API\n\n${SERVE_HELP}\n${RESTORE_HELP}\n${PAYMENT_HELP}`;

interface StorageFlags {
  data?: string;
  'database-url'?: string;
}
interface ServeFlags extends StorageFlags {
  port?: string;
  host?: string;
  seed?: string;
  trust?: string;
  revocation?: string;
  crl?: string[];
  'new-epoch'?: boolean;
  'operator-token-env'?: string;
  tsa?: string;
  'tsa-root'?: string[];
}
interface PaymentFlags extends StorageFlags {
  invoice?: string;
  amount?: string;
  'paid-at'?: string;
  reference?: string;
}

type Seed = { kind: 'none' } | { kind: 'demo'; acts?: number; counterparties?: number } | { kind: 'bench'; documents: number };
const REVOCATION = ['none', 'crl', 'ocsp', 'crl-or-ocsp'] as const;

const STORAGE_OPTIONS = { data: { type: 'string' }, 'database-url': { type: 'string' } } as const;

function storage(f: StorageFlags, env: NodeJS.ProcessEnv): { data: string; databaseUrl?: string } {
  return { data: path.resolve(f.data ?? '.kense-data/cloud'), databaseUrl: f['database-url'] ?? (env.DATABASE_URL || undefined) };
}

function parseSeed(v: string | undefined): Seed | string {
  if (v === undefined) return { kind: 'none' };
  if (v === 'demo') return { kind: 'demo' };
  // A smaller demo (tests, the crash test): N acts, a counterparty for every 16 of them.
  const d = /^demo:(\d+)$/.exec(v);
  if (d && Number(d[1]) >= 20 && Number(d[1]) <= 5000) return { kind: 'demo', acts: Number(d[1]), counterparties: Math.max(4, Math.ceil(Number(d[1]) / 16)) };
  const m = /^bench:(\d+)$/.exec(v);
  if (m && Number(m[1]) > 0 && Number(m[1]) <= 5_000_000) return { kind: 'bench', documents: Number(m[1]) };
  return '--seed must be demo, demo:N (20…5 000 acts) or bench:N (N up to 5 000 000)';
}

async function serve(ctx: CommandContext): Promise<number> {
  const usage = usageFor('cloud serve', SERVE_HELP);
  const f = parseFlags<ServeFlags>(ctx, 'cloud serve', SERVE_HELP, {
    ...STORAGE_OPTIONS,
    port: { type: 'string' },
    host: { type: 'string' },
    seed: { type: 'string' },
    trust: { type: 'string' },
    revocation: { type: 'string' },
    crl: { type: 'string', multiple: true },
    'new-epoch': { type: 'boolean' },
    'operator-token-env': { type: 'string' },
    tsa: { type: 'string' },
    'tsa-root': { type: 'string', multiple: true },
  });
  if (typeof f === 'number') return f;
  const port = f.port === undefined ? 8787 : Number(f.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return usage(ctx, '--port must be 0…65535');
  const seed = parseSeed(f.seed);
  if (typeof seed === 'string') return usage(ctx, seed);
  if (f.trust !== undefined && f.trust !== 'production' && f.trust !== 'test') return usage(ctx, '--trust must be production or test');
  const revocation = (f.revocation ?? 'crl-or-ocsp') as (typeof REVOCATION)[number];
  if (!REVOCATION.includes(revocation)) return usage(ctx, '--revocation must be none, crl, ocsp or crl-or-ocsp');
  if (f.tsa !== undefined && f.tsa !== 'builtin' && f.tsa !== 'none' && !/^https?:\/\/[^\s]+$/.test(f.tsa)) return usage(ctx, '--tsa must be builtin, none or an http(s) URL of an RFC 3161 TSA');
  const { pemOrDer } = await import('../../native-bridge/pki');
  const roots = (f['tsa-root'] ?? []).map((file) => pemOrDer(readFileArg(path.resolve(file))));
  // The demo's own test TSA by default wherever the demo runs: seeded now, or found under the storage's test trust.
  const tsaFor = (d: TrustDecision) => {
    const flag = f.tsa ?? (seed.kind === 'demo' || (d.demoTenant && d.mode === 'test') ? 'builtin' : 'none');
    return { mode: flag === 'builtin' ? ('builtin' as const) : flag === 'none' ? ('none' as const) : ('rfc3161' as const), ...(flag.startsWith('http') ? { url: flag } : {}), timeoutMs: 10_000, retrySec: 30, roots };
  };
  const { data, databaseUrl } = storage(f, ctx.env);
  const host = f.host ?? '127.0.0.1';
  const tokenVar = f['operator-token-env'];
  const operatorToken = tokenVar === undefined ? undefined : ctx.env[tokenVar];
  if (tokenVar !== undefined && !operatorToken) return usage(ctx, `--operator-token-env: the environment variable ${tokenVar} is not set`);
  if (operatorToken !== undefined && operatorToken.length < OPERATOR_TOKEN_MIN_LENGTH) {
    return usage(ctx, `--operator-token-env: the token in ${tokenVar} is shorter than ${OPERATOR_TOKEN_MIN_LENGTH} characters (for example: openssl rand -base64 33)`);
  }
  const { startCloud } = await import('../../cloud/src/server');
  const { TEST_CRL } = await import('../../cloud/src/signatures');
  const out = ctx.stdout;
  out.write(`kense cloud: starting (${databaseUrl ? 'PostgreSQL' : `PGlite in ${data}`})…\n`);
  const server = await startCloud({
    dataDir: data, databaseUrl, port, host, seed, revocation, newEpoch: f['new-epoch'] ?? false, operatorToken, storageHolder: 'kense cloud serve',
    trustFromStorage: {
      flag: f.trust as TrustMode | undefined,
      configure: (d) => ({ crlFiles: f.crl?.length ? f.crl.map((c) => path.resolve(c)) : d.mode === 'test' ? [TEST_CRL] : [], tsa: tsaFor(d) }),
    },
  });
  const { crlFiles, tsa } = server.services.config;
  out.write(`\n  URL:        ${server.url}/v1   (OpenAPI: ${server.url}/v1/openapi.json)\n`);
  out.write(`  storage:    ${server.services.storage}${databaseUrl ? '' : ` (${data})`}\n`);
  const { DEMO_BIN } = await import('../../cloud/src/seed/demo');
  for (const line of trustBanner(server.trust!, databaseUrl ? { kind: 'database' } : { kind: 'folder', data }, DEMO_BIN)) out.write(`${line}\n`);
  out.write(`  revocation: ${revocation}${crlFiles.length ? ` (${crlFiles.map((c) => path.basename(c)).join(', ')})` : ''}${revocation === 'none' ? ' — not checked' : ' + what certificates name, fetched and kept'}\n`);
  out.write(`  timestamps: ${tsa.mode === 'none' ? 'none — signatures are kept as they come (--tsa URL to stamp them)' : tsa.mode === 'builtin' ? `built-in test TSA (RFC 3161 at ${server.url}/v1/tsa; demo only, never production)` : `${tsa.url} (RFC 3161)`}\n`);
  if (operatorToken) out.write(`  operator:   POST ${server.url}${OPERATOR_PAYMENTS_PATH}; GET ${server.url}${OPERATOR_SUPPORT_PATH}, POST …/:id/replies — with the token from $${tokenVar} (kense staff only)\n`);
  if (f['new-epoch']) out.write(`  epoch:      new (${server.services.epoch.slice(0, 8)}…): every device downloads its data afresh\n`);
  if (seed.kind !== 'demo' && server.trust!.demoTenant) {
    out.write(`\n  demo tenant: АО "ТЕСТ", БИН ${DEMO_BIN} is in this ${databaseUrl ? 'database' : 'folder'} (--seed demo also prints its users and password)\n`);
  }
  if (server.seed) {
    const sd = server.seed;
    out.write(`\n  ${seed.kind === 'demo' ? 'demo tenant' : 'bench tenant'}: ${sd.company.name}, БИН ${sd.company.iinBin} — ${sd.documents} documents ${sd.created ? `seeded in ${(sd.ms / 1000).toFixed(1)} s` : '(already there)'}\n`);
    out.write('  sign in with ИИН + password (or with the test keys in resources/test-pki, password Qwerty12):\n');
    for (const u of sd.users) out.write(`    ${u.iin}  ${u.password}  ${u.role.padEnd(14)} ${u.fullName}\n`);
  }
  // Listening for Ctrl+C and SIGTERM before saying so: whoever reads the line may stop the server at once (writing it
  // wakes the reader, which can send SIGTERM before this process runs another statement — it then died of it).
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  out.write('\n  Ctrl+C stops the server.\n');
  await stopped;
  out.write('kense cloud: stopping…\n');
  await server.close();
  return 0;
}

const HOW: Record<TrustRecord['how'], (mode: TrustMode) => string> = {
  flag: (mode) => `--trust ${mode}`,
  seed: () => '--seed demo',
  'demo-data': () => 'the demo tenant found in it',
  default: () => 'the default for a new one',
};

/** The banner's trust lines: the mode, why it is the mode, and what changes it; loud when it changed or misfits the data. */
function trustBanner(d: TrustDecision, where: { kind: 'folder'; data: string } | { kind: 'database' }, demoBin: string): string[] {
  const place = `this ${where.kind}`;
  const other: TrustMode = d.mode === 'test' ? 'production' : 'test';
  const later = `later starts without --trust use ${d.mode}`;
  const prev = d.previous ? `${HOW[d.previous.how](d.previous.mode)} on ${d.previous.at.slice(0, 10)}` : '';
  const why: Record<TrustSource, string> = {
    flag: `given with --trust ${d.mode}${d.previous?.mode === d.mode ? `, as recorded in ${place}` : d.changed ? '' : `; recorded in ${place}: ${later}`}`,
    seed: `--seed demo implies test${d.previous?.mode === d.mode ? `, as recorded in ${place}` : d.changed ? '' : `; recorded in ${place}: ${later}`}`,
    recorded: `recorded in ${place} by ${prev}; --trust ${other} changes it`,
    'demo-data': `${place} holds the demo tenant: test, recorded now; --trust production changes it`,
    default: `the default for a new ${where.kind}, recorded in ${place}; --trust test changes it`,
  };
  const lines = [`  trust:      ${d.mode}${d.mode === 'test' ? ' — НУЦ РК TEST roots; never use in production' : ''}`, `              (${why[d.source]})`];
  if (d.changed) {
    lines.push(`  !! TRUST CHANGED: ${place} was recorded as ${d.previous!.mode} (by ${prev}); ${d.source === 'seed' ? '--seed demo' : `--trust ${d.mode}`} makes it ${d.mode}: ${later}`);
  }
  if (d.demoUnderProduction) {
    const storage = where.kind === 'folder' ? `--data ${where.data}` : '--database-url …';
    lines.push(
      `  !! WARNING: ${place} holds the demo tenant АО "ТЕСТ" (test БИН ${demoBin}, НУЦ РК test keys), but trust is production:`,
      '     its test ИИН are refused at sign-in and every signature made with the test keys is refused (CERT_UNTRUSTED).',
      `     To run the demo: kense cloud serve ${storage} --trust test   (recorded: later starts need no --trust)`,
      '     For real work with production keys, use a new data folder (or database) without the demo.',
    );
  }
  return lines;
}

async function restoreEpoch(ctx: CommandContext): Promise<number> {
  const f = parseFlags<StorageFlags>(ctx, 'cloud restore-epoch', RESTORE_HELP, STORAGE_OPTIONS);
  if (typeof f === 'number') return f;
  const { data, databaseUrl } = storage(f, ctx.env);
  const { openDatabase } = await import('../../cloud/src/db/connect');
  const { rotateEpoch } = await import('../../cloud/src/feed-segments');
  const opened = await openDatabase({ dataDir: data, databaseUrl, holder: 'kense cloud restore-epoch' });
  try {
    const { previous, epoch } = await rotateEpoch(opened.db);
    ctx.stdout.write(`kense cloud: database epoch ${previous.slice(0, 8)}… → ${epoch.slice(0, 8)}…; every device downloads its data afresh on its next sync\n`);
  } finally {
    await opened.close();
  }
  return 0;
}

const operatorName = (): string | null => {
  try {
    return os.userInfo().username || null;
  } catch {
    return null;
  }
};

async function recordPaymentCommand(ctx: CommandContext): Promise<number> {
  const usage = usageFor('cloud record-payment', PAYMENT_HELP);
  const f = parseFlags<PaymentFlags>(ctx, 'cloud record-payment', PAYMENT_HELP, {
    ...STORAGE_OPTIONS,
    invoice: { type: 'string' },
    amount: { type: 'string' },
    'paid-at': { type: 'string' },
    reference: { type: 'string' },
  });
  if (typeof f === 'number') return f;
  if (!f.invoice) return usage(ctx, '--invoice is needed');
  if (f.amount !== undefined && !/^\d{1,16}$/.test(f.amount)) return usage(ctx, '--amount must be a whole number of tiyn (1 ₸ = 100 tiyn)');
  const generated = f.reference === undefined;
  const reference = f.reference ?? `KENSE-OP-${kzDate(new Date()).replaceAll('-', '')}-${randomBytes(4).toString('hex').toUpperCase()}`;
  const parsed = zOperatorPaymentRequest.safeParse({ invoiceId: f.invoice, amount: f.amount === undefined ? undefined : Number(f.amount), paidAt: f['paid-at'], reference });
  if (!parsed.success) {
    const flag: Record<string, string> = { invoiceId: '--invoice', amount: '--amount', paidAt: '--paid-at', reference: '--reference' };
    return usage(ctx, parsed.error.issues.map((i) => `${flag[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join('; '));
  }
  const { data, databaseUrl } = storage(f, ctx.env);
  const { openDatabase } = await import('../../cloud/src/db/connect');
  const { Clock } = await import('../../cloud/src/clock');
  const { recordPayment } = await import('../../cloud/src/domain/billing');
  const { paymentResult } = await import('../../cloud/src/http/operator');
  const { formatTenge } = await import('../../cloud/src/money');
  const opened = await openDatabase({ dataDir: data, databaseUrl, poolSize: 2, holder: 'kense cloud record-payment' });
  try {
    const b = parsed.data;
    const outcome = await recordPayment(
      { db: opened.db, clock: new Clock() },
      { invoiceId: b.invoiceId, amount: b.amount, paidAt: b.paidAt ? new Date(b.paidAt) : undefined, reference: b.reference },
      { via: 'cli', operator: operatorName(), ip: null },
    );
    const r = paymentResult(outcome);
    const out = ctx.stdout;
    const inv = r.invoice;
    out.write(`kense cloud: ${r.duplicate ? 'this payment was already recorded — nothing changed' : 'payment recorded'}\n`);
    out.write(`  client:       ${r.company.name}, БИН ${r.company.iinBin}\n`);
    out.write(`  invoice:      № ${inv.number} for ${inv.period} (${inv.id})\n`);
    out.write(`  payment:      ${formatTenge(r.payment.amount)}, reference ${r.payment.reference}, paid ${r.payment.paidAt}${r.duplicate ? `, recorded ${r.payment.recordedAt}` : ''}\n`);
    out.write(`  invoice now:  ${inv.status === 'paid' ? `paid (${formatTenge(inv.paidAmount)} of ${formatTenge(inv.total)})` : `${inv.status} — ${formatTenge(r.remaining)} still due of ${formatTenge(inv.total)}`}\n`);
    out.write(`  subscription: ${r.subscription.state}${r.subscription.outgoingAllowed ? ' — outgoing work allowed' : ' — outgoing work blocked until every overdue invoice is paid in full'}\n`);
    if (generated) out.write(`  note:         no --reference given; recorded as ${reference}. Give the statement's payment document number so that a repeat changes nothing.\n`);
  } finally {
    await opened.close();
  }
  return 0;
}

export const command: CommandModule = {
  summary: 'run the reference kense cloud API (kense cloud serve --seed demo); restore-epoch after a restore; record-payment (kense staff)',
  async run(ctx) {
    const [sub, ...rest] = ctx.argv;
    const subCtx = { ...ctx, argv: rest };
    if (sub === 'serve') return serve(subCtx);
    if (sub === 'restore-epoch') return restoreEpoch(subCtx);
    if (sub === 'record-payment') return recordPaymentCommand(subCtx);
    if (sub === '--help' || sub === '-h') {
      ctx.stdout.write(HELP);
      return 0;
    }
    return usageFor('cloud', HELP)(ctx, sub ? `unknown subcommand "${sub}"` : 'a subcommand is needed');
  },
};
