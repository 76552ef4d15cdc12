// `kense acts list|show|sign|refuse`: the profile's acts from the encrypted cache; signing and refusal work offline
// (queued, sent by the next sync — which this command tries at once).
import type { CommandContext, CommandModule } from '../command';
import { parseFlags, usageFor } from '../args';
import type { DocumentRow, KenseApi } from '../../contract/ipc';
import { PROFILE_HELP, money, passwordFrom, syncSummary, withCore } from '../shared/core-session';

const HELP = `kense acts list --profile DIR [--json] [--awaiting-signature]
kense acts show --profile DIR ID [--json]
kense acts sign --profile DIR ID… --via p12|ncalayer [--p12 FILE] [--password-env VAR] [--ca FILE] [--json]
kense acts refuse --profile DIR ID --reason TEXT [--json]

Acts (form Р-1) of the signed-in company, from the profile's encrypted cache — also offline.
${PROFILE_HELP}  --json              machine-readable output
  --awaiting-signature  only acts waiting for our signature
  --via p12|ncalayer  sign with a key file (--p12 FILE; password from --password-env VAR or asked) or NCALayer
  --ncalayer URL      NCALayer's address (default wss://127.0.0.1:13579)
  --ca FILE           CA certificate trusted for NCALayer's TLS (the emulator's ca.crt)
  --reason TEXT       why the act is refused (3–2000 characters); the counterparty sees it
Signing and refusal are stored and queued at once; the command then tries to send them. Offline, they are sent
by the next kense sync. Exit code: 0 done (sent or queued), 1 failed, 2 usage error.
`;

const usage = usageFor('acts', HELP);

interface Flags {
  profile?: string;
  json?: boolean;
  'awaiting-signature'?: boolean;
  via?: string;
  p12?: string;
  'password-env'?: string;
  ca?: string;
  ncalayer?: string;
  reason?: string;
  positionals: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function rowJson(r: DocumentRow) {
  return {
    id: r.id, number: r.number, date: r.date, direction: r.direction, counterparty: r.counterpartyName, counterpartyIinBin: r.counterpartyIinBin,
    amount: r.amount, amountText: money(r.amount), state: r.state, localState: r.localState, awaitingSignature: r.awaitingSignature,
  };
}

async function listAll(api: KenseApi, awaiting: boolean): Promise<DocumentRow[]> {
  const filter = { kinds: ['act' as const], ...(awaiting ? { awaitingSignature: true } : {}) };
  const out: DocumentRow[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await api.invoke('documents.list', { filter, offset, limit: 500 });
    out.push(...page.items);
    if (page.items.length < 500) return out;
  }
}

/** After a local change: try to send it now; say whether it went or waits for the next sync. */
async function pushNow(ctx: CommandContext, api: KenseApi, json: boolean): Promise<{ sent: boolean; line: string }> {
  const s = await api.invoke('sync.now', { wait: true });
  const sum = syncSummary(s);
  const sent = s.pendingMutations === 0;
  if (!json) ctx.stdout.write(sent ? `Sent to the kense cloud. ${sum.line}\n` : `Queued; kense sync sends it when the cloud is reachable. ${sum.line}\n`);
  return { sent, line: sum.line };
}

export const command: CommandModule = {
  summary: 'acts of the company: list, show, sign (also offline), refuse',
  async run(ctx) {
    const sub = ctx.argv[0];
    if (!sub || sub === '--help' || sub === '-h') {
      ctx.stdout.write(HELP);
      return sub ? 0 : 2;
    }
    if (!['list', 'show', 'sign', 'refuse'].includes(sub)) return usage(ctx, `unknown subcommand "${sub}"`);
    const f = parseFlags<Flags>(
      { ...ctx, argv: ctx.argv.slice(1) },
      `acts ${sub}`,
      HELP,
      {
        profile: { type: 'string' }, json: { type: 'boolean' }, 'awaiting-signature': { type: 'boolean' }, via: { type: 'string' }, p12: { type: 'string' },
        'password-env': { type: 'string' }, ca: { type: 'string' }, ncalayer: { type: 'string' }, reason: { type: 'string' },
      },
      { positionals: true },
    );
    if (typeof f === 'number') return f;
    if (!f.profile) return usage(ctx, '--profile is required');
    const ids = f.positionals;
    const bad = ids.find((id) => !UUID.test(id));
    if (bad) return usage(ctx, `not an act ID: ${bad}`);
    if (sub === 'list' && ids.length) return usage(ctx, 'list takes no IDs');
    if ((sub === 'show' || sub === 'refuse') && ids.length !== 1) return usage(ctx, `${sub} takes one act ID`);
    if (sub === 'sign' && ids.length === 0) return usage(ctx, 'sign takes one or more act IDs');
    if (sub === 'sign' && f.via !== 'p12' && f.via !== 'ncalayer') return usage(ctx, '--via p12|ncalayer is required');
    if (sub === 'sign' && f.via === 'p12' && !f.p12) return usage(ctx, '--via p12 needs --p12 FILE');
    if (sub === 'refuse' && (!f.reason || f.reason.trim().length < 3)) return usage(ctx, '--reason TEXT is required (at least 3 characters)');
    const json = f.json === true;

    if (f['password-env'] && !ctx.env[f['password-env']]) return usage(ctx, `--password-env: environment variable ${f['password-env']} is empty or not set`);
    return withCore(ctx, { profileDir: f.profile, ...(f.ca ? { caFile: f.ca } : {}), ...(f.ncalayer ? { ncalayerUrl: f.ncalayer } : {}) }, async ({ api }) => {
      if (sub === 'list') {
        const rows = await listAll(api, f['awaiting-signature'] === true);
        if (json) ctx.stdout.write(`${JSON.stringify(rows.map(rowJson), null, 2)}\n`);
        else for (const r of rows) ctx.stdout.write(`${r.id}  ${r.date}  №${r.number}  ${r.direction === 'incoming' ? '←' : '→'} ${r.counterpartyName}  ${money(r.amount)}  ${r.state}${r.localState !== 'synced' ? ` (${r.localState})` : ''}\n`);
        return 0;
      }
      if (sub === 'show') {
        const d = await api.invoke('documents.get', { kind: 'act', id: ids[0] });
        if (json) {
          ctx.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
          return 0;
        }
        const act = d.data.kind === 'act' ? d.data.act : null;
        ctx.stdout.write(`Act №${d.row.number} of ${d.row.date}, ${d.row.direction}, ${d.row.counterpartyName} (${d.row.counterpartyIinBin})\n`);
        ctx.stdout.write(`Amount ${money(d.row.amount)}; state ${d.row.state}${d.row.localState !== 'synced' ? ` (${d.row.localState})` : ''}\n`);
        for (const l of act?.r1.lines ?? []) ctx.stdout.write(`  ${l.no}. ${l.name} — ${l.quantity} ${l.unit} × ${money(l.price)} = ${money(l.amount)}\n`);
        for (const s of d.signatures) {
          // a signature made offline: the device's own (claimed) time, when the cloud received it, and its timestamp
          const claimed = s.claimedAt && s.claimedAt !== s.signedAt ? `, on the device ${s.claimedAt}` : '';
          ctx.stdout.write(`  signed by ${s.signerName} (ИИН ${s.signerIin ?? '—'}, БИН ${s.signerBin ?? '—'}, ${s.role}, cert ${s.certSerial ?? '—'}) at ${s.signedAt}${claimed}${s.timestampAt ? `, timestamp ${s.timestampAt}` : ''}${s.pending ? ' — waiting to sync' : ''}\n`);
        }
        if (d.problem) ctx.stdout.write(`  ${d.problem.status}: ${d.problem.error.message} ${d.problem.error.action}\n`);
        ctx.stdout.write(`Canonical bytes: ${d.canonical.format}, ${d.canonical.size} bytes, SHA-256 ${d.canonical.sha256}\n`);
        return 0;
      }
      if (sub === 'sign') {
        const password = f.via === 'p12' ? await passwordFrom(ctx, f['password-env'], 'Пароль ключа / Key password: ') : undefined;
        const r = await api.invoke('documents.sign', {
          items: ids.map((id) => ({ kind: 'act' as const, id })), via: f.via as 'p12' | 'ncalayer', ...(f.p12 ? { p12Path: f.p12 } : {}), ...(password ? { password } : {}),
        });
        const ok = r.results.every((x) => x.ok);
        if (!json) {
          if (r.signer) ctx.stdout.write(`Signed with ${r.signer.commonName ?? ''} (ИИН ${r.signer.iin ?? '—'}, БИН ${r.signer.bin ?? '—'}), certificate ${r.signer.serial}\n`);
          for (const x of r.results) ctx.stdout.write(x.ok ? `  ${x.ref.id}: signed (${x.localState})\n` : `  ${x.ref.id}: NOT signed — ${x.error?.code}: ${x.error?.message} ${x.error?.action}\n`);
          for (const w of r.warnings) ctx.stdout.write(`  warning ${w.code}: ${w.message} ${w.action}\n`);
        }
        const push = r.results.some((x) => x.ok) ? await pushNow(ctx, api, json) : null;
        if (json) ctx.stdout.write(`${JSON.stringify({ ...r, sent: push?.sent ?? false, sync: push?.line ?? null }, null, 2)}\n`);
        return ok ? 0 : 1;
      }
      const r = await api.invoke('documents.refuse', { kind: 'act', id: ids[0], reason: (f.reason as string).trim() });
      if (!json) ctx.stdout.write(`${ids[0]}: refused (${r.localState})\n`);
      const push = await pushNow(ctx, api, json);
      if (json) ctx.stdout.write(`${JSON.stringify({ ...r, sent: push.sent, sync: push.line }, null, 2)}\n`);
      return 0;
    });
  },
};
