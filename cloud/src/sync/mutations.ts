// POST /v1/sync/mutations: each mutation is applied at most once (by mutationId), in the company's write
// lock, together with the record of its answer; a replay gets the first answer back as `duplicate`.
import type { z } from 'zod';
import { KenseError, isKenseError, isErrorCode, ERRORS, type Locale, type ErrorCode } from '../../../contract/errors';
import { MUTATIONS, localizeFieldProblems, type Mutation, type MutationName, type MutationOutcome, type MutationResult } from '../../../contract/cloud';
import type { Principal, Services } from '../context';
import { jsonDigest } from '../canonical-json';
import { companyTx, type Trx } from '../feed';
import { HANDLERS } from './handlers';

/** Post-commit effects must not turn an applied mutation into an error: they are logged when they fail. */
async function afterCommit(h: { after?: (s: Services, p: Principal, a: never) => Promise<void> }, s: Services, p: Principal, args: unknown): Promise<void> {
  try {
    await h.after?.(s, p, args as never);
  } catch (e) {
    console.error('kense cloud: delivery to the other party failed:', (e as Error).message);
  }
}

/** Codes that may pass with time (a CRL fetched later, a server hiccup): not recorded, so a retry is evaluated again. */
const TRANSIENT: readonly string[] = ['CERT_REVOCATION_UNKNOWN', 'INTERNAL'];

function rejected(e: unknown, locale: Locale): MutationOutcome {
  const err = isKenseError(e) ? e : new KenseError('INTERNAL');
  if (!isKenseError(e)) console.error('kense cloud: mutation failed:', (e as Error)?.message ?? e);
  return { status: 'rejected', code: err.code, ...err.localized(locale), ...(err.details ? { details: localizeFieldProblems(err.details, locale) } : {}) };
}

/** A rejection speaks the language of the answer it is part of, a replay too (the record keeps the code). */
function inLocale<T extends MutationOutcome>(o: T, locale: Locale): T {
  if (o.status !== 'rejected' || !isErrorCode(o.code)) return o;
  return { ...o, message: ERRORS[o.code].message[locale], action: ERRORS[o.code].action[locale], ...(o.details ? { details: localizeFieldProblems(o.details, locale) } : {}) };
}

function zodFields(e: z.ZodError) {
  return e.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

async function recorded(trx: Trx | Services['db'], m: Mutation, p: Principal, argsHash: string, locale: Locale): Promise<MutationResult | null> {
  // Mutation ids are a space of their own per company: another tenant's ids are neither seen nor taken.
  const prev = await trx.selectFrom('mutations').selectAll().where('company_id', '=', p.company.id).where('mutation_id', '=', m.mutationId).executeTakeFirst();
  if (!prev) return null;
  if (prev.user_id !== p.user.id || prev.args_hash !== argsHash) {
    return { mutationId: m.mutationId, ...rejected(new KenseError('MUTATION_ID_REUSED'), locale) };
  }
  return { mutationId: m.mutationId, status: 'duplicate', original: inLocale(JSON.parse(prev.outcome) as MutationOutcome, locale) };
}

async function record(trx: Trx, m: Mutation, p: Principal, argsHash: string, outcome: MutationOutcome, now: Date): Promise<void> {
  await trx.insertInto('mutations').values({ mutation_id: m.mutationId, company_id: p.company.id, user_id: p.user.id, name: m.name, args_hash: argsHash, outcome: JSON.stringify(outcome), created_at: now }).execute();
}

export async function applyMutation(s: Services, p: Principal, m: Mutation, locale: Locale): Promise<MutationResult> {
  const name = m.name as MutationName;
  let argsHash: string;
  try {
    argsHash = jsonDigest({ name: m.name, args: m.args ?? null });
  } catch {
    // Not identifiable, so not recorded: the same input gets the same answer anyway.
    return { mutationId: m.mutationId, ...rejected(new KenseError('INVALID_INPUT', { fields: [{ path: 'args', message: 'nested too deeply' }] }), locale) };
  }
  const early = await recorded(s.db, m, p, argsHash, locale);
  if (early) return early;

  let outcome: MutationOutcome;
  try {
    if (!Object.prototype.hasOwnProperty.call(MUTATIONS, name)) throw new KenseError('INVALID_INPUT', { fields: [{ path: 'name', message: `unknown mutation ${m.name}` }] });
    const parsed = MUTATIONS[name].safeParse(m.args);
    if (!parsed.success) throw new KenseError('INVALID_INPUT', { fields: zodFields(parsed.error) });
    const h = HANDLERS[name];
    if (!h.roles.includes(p.viewer.role)) throw new KenseError('FORBIDDEN');
    // Heavy, lock-free work first (signature verification); the lock only covers the state change.
    const prepared = h.prepare ? await h.prepare(s, p, parsed.data as never) : undefined;
    const result = await companyTx(s, p.company.id, async (trx) => {
      const dup = await recorded(trx, m, p, argsHash, locale);
      if (dup) return dup;
      const out = await h.apply(trx, s, p, parsed.data as never, m.baseVersion, prepared as never);
      await record(trx, m, p, argsHash, out, s.clock.now());
      return out;
    });
    if ('mutationId' in result) return result;
    outcome = result;
    if (outcome.status === 'applied') await afterCommit(h, s, p, parsed.data);
    return { mutationId: m.mutationId, ...inLocale(outcome, locale) };
  } catch (e) {
    outcome = rejected(e, locale);
    if (TRANSIENT.includes((outcome as { code: string }).code)) return { mutationId: m.mutationId, ...outcome };
  }
  // A rejection is an answer too: recorded, so replays get the same one.
  return companyTx(s, p.company.id, async (trx) => {
    const dup = await recorded(trx, m, p, argsHash, locale);
    if (dup) return dup;
    await record(trx, m, p, argsHash, outcome, s.clock.now());
    return { mutationId: m.mutationId, ...outcome };
  });
}

export async function applyMutations(s: Services, p: Principal, list: Mutation[], locale: Locale): Promise<MutationResult[]> {
  const out: MutationResult[] = [];
  for (const m of list) out.push(await applyMutation(s, p, m, locale));
  return out;
}

/** REST actions (POST /v1/acts/:id/sign …) run the same handlers without an idempotency record. */
export async function runAction<N extends MutationName>(s: Services, p: Principal, name: N, args: z.input<(typeof MUTATIONS)[N]>): Promise<{ entity: string; id: string }> {
  const parsed = MUTATIONS[name].safeParse(args);
  if (!parsed.success) throw new KenseError('INVALID_INPUT', { fields: zodFields(parsed.error) });
  const h = HANDLERS[name];
  if (!h.roles.includes(p.viewer.role)) throw new KenseError('FORBIDDEN');
  const prepared = h.prepare ? await h.prepare(s, p, parsed.data as never) : undefined;
  const out = await companyTx(s, p.company.id, (trx) => h.apply(trx, s, p, parsed.data as never, null, prepared as never));
  if (out.status === 'applied') await afterCommit(h, s, p, parsed.data);
  if (out.status === 'applied') return { entity: out.entity?.entity ?? name, id: out.entity?.id ?? '' };
  if (out.status === 'conflict') throw new KenseError('CONFLICT', { entity: out.entity.entity, id: out.entity.id, version: out.entity.version });
  throw new KenseError(out.code as ErrorCode, out.details);
}
