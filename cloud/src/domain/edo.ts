// EDO between tenants of this server: an outgoing act sent to a counterparty that is itself a kense client
// arrives there as an incoming act with the same canonical bytes; signatures, refusals and withdrawals on
// either side are reflected on the other. Delivery runs right after the sender's transaction commits, in
// the receiver's own company transaction (never two company locks at once).
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { ActsTable, Database, SignaturesTable } from '../db/schema';
import type { Services } from '../context';
import { companyTx } from '../feed';
import { publishAct } from './acts';
import { counterpartyFeed } from './company';
import { refreshAwaitingDashboard } from './dashboards';
import { notify, usersWithRoles } from './notifications';
import { publish } from '../feed';

type Act = Selectable<ActsTable>;

async function copySignatures(db: Kysely<Database>, from: Selectable<SignaturesTable>[], to: { companyId: string; actId: string }): Promise<void> {
  for (const sig of from) {
    await db
      .insertInto('signatures')
      .values({ ...sig, id: randomUUID(), company_id: to.companyId, doc_id: to.actId, side: sig.side === 'ours' ? 'theirs' : 'ours', user_id: null })
      .execute();
  }
}

async function bump(db: Kysely<Database>, act: Act, set: Partial<Pick<Act, 'state' | 'refusal' | 'withdrawal' | 'peer_act_id' | 'peer_company_id'>>, now: Date): Promise<Act> {
  return db.updateTable('acts').set({ ...set, version: act.version + 1, updated_at: now }).where('id', '=', act.id).returningAll().executeTakeFirstOrThrow();
}

/** After an outgoing act was sent: deliver it when the counterparty is a tenant here. */
export async function deliverOutgoing(s: Services, actId: string): Promise<void> {
  const act = await s.db.selectFrom('acts').selectAll().where('id', '=', actId).executeTakeFirstOrThrow();
  if (act.direction !== 'outgoing' || act.peer_act_id) return;
  const peer = await s.db.selectFrom('companies').selectAll().where('iin_bin', '=', act.counterparty_iin_bin).where('terminated_at', 'is', null).executeTakeFirst();
  if (!peer || peer.id === act.company_id) return;
  const sender = await s.db.selectFrom('companies').selectAll().where('id', '=', act.company_id).executeTakeFirstOrThrow();
  const sigs = await s.db.selectFrom('signatures').selectAll().where('doc_type', '=', 'act').where('doc_id', '=', act.id).execute();
  const now = s.clock.now();
  const copyId = await companyTx(s, peer.id, async (trx) => {
    let cp = await trx.selectFrom('counterparties').selectAll().where('company_id', '=', peer.id).where('iin_bin', '=', sender.iin_bin).where('deleted_at', 'is', null).executeTakeFirst();
    if (!cp) {
      cp = await trx
        .insertInto('counterparties')
        .values({ id: randomUUID(), company_id: peer.id, branch_id: null, iin_bin: sender.iin_bin, name: sender.name, address: sender.address, kbe: '17', iik: null, bik: null, bank: null, email: null })
        .returningAll()
        .executeTakeFirstOrThrow();
      await publish(trx, peer.id, [counterpartyFeed(cp)]);
    }
    const id = randomUUID();
    // The same bytes, byte for byte: both parties sign exactly what the sender fixed.
    const copy = await trx
      .insertInto('acts')
      .values({
        id, company_id: peer.id, branch_id: cp.branch_id, direction: 'incoming', number: act.number, date: act.date, counterparty_id: cp.id,
        counterparty_name: sender.name, counterparty_iin_bin: sender.iin_bin, state: sigs.length ? 'signed_by_them' : 'delivered',
        amount_with_vat: act.amount_with_vat, r1: act.r1, canonical: act.canonical, canonical_sha256: act.canonical_sha256, canonical_format: act.canonical_format,
        refusal: null, withdrawal: null, created_at: now, updated_at: now, peer_act_id: act.id, peer_company_id: act.company_id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await copySignatures(trx, sigs, { companyId: peer.id, actId: id });
    await publishAct(trx, copy);
    await refreshAwaitingDashboard(trx, peer.id, now);
    const who = await usersWithRoles(trx, peer.id, ['first_manager', 'accountant']);
    await notify(trx, peer.id, who, { kind: 'act_incoming', title: 'Входящий акт', body: `${sender.name}: акт № ${act.number}`, link: { entity: 'act', id } }, now);
    return id;
  });
  await companyTx(s, act.company_id, async (trx) => {
    const fresh = await trx.selectFrom('acts').selectAll().where('id', '=', act.id).executeTakeFirstOrThrow();
    await publishAct(trx, await bump(trx, fresh, { state: fresh.state === 'sent' ? 'delivered' : fresh.state, peer_act_id: copyId, peer_company_id: peer.id }, now));
  });
}

/** After our answer on an act with a peer (sign, refuse, withdraw): the peer's copy follows. */
export async function reflectToPeer(s: Services, actId: string, event: 'sign' | 'refuse' | 'withdraw'): Promise<void> {
  const act = await s.db.selectFrom('acts').selectAll().where('id', '=', actId).executeTakeFirstOrThrow();
  if (!act.peer_act_id || !act.peer_company_id) return;
  const peerCompany = act.peer_company_id;
  const now = s.clock.now();
  const ours = await s.db.selectFrom('signatures').selectAll().where('doc_type', '=', 'act').where('doc_id', '=', act.id).where('side', '=', 'ours').orderBy('signed_at', 'desc').execute();
  await companyTx(s, peerCompany, async (trx) => {
    const peer = await trx.selectFrom('acts').selectAll().where('id', '=', act.peer_act_id!).executeTakeFirst();
    if (!peer) return;
    let updated: Act | undefined;
    if (event === 'sign' && ours[0]) {
      await copySignatures(trx, [ours[0]], { companyId: peerCompany, actId: peer.id });
      // The sender signed before sending, so its act is now signed by both.
      updated = await bump(trx, peer, { state: peer.direction === 'outgoing' ? 'signed_by_both' : 'signed_by_them' }, now);
    }
    if (event === 'refuse' && act.refusal) {
      const r = JSON.parse(act.refusal) as { reason: string; at: string };
      updated = await bump(trx, peer, { state: 'refused', refusal: JSON.stringify({ side: 'theirs', reason: r.reason, at: r.at }) }, now);
    }
    if (event === 'withdraw' && act.withdrawal) updated = await bump(trx, peer, { state: 'withdrawn', withdrawal: act.withdrawal }, now);
    if (!updated) return;
    await publishAct(trx, updated);
    await refreshAwaitingDashboard(trx, peerCompany, now);
    const who = await usersWithRoles(trx, peerCompany, ['first_manager', 'accountant']);
    const title = { sign: 'Акт подписан контрагентом', refuse: 'Контрагент отказался подписать акт', withdraw: 'Акт отозван контрагентом' }[event];
    await notify(trx, peerCompany, who, { kind: event === 'refuse' ? 'act_refused' : 'act_signed', title, body: `Акт № ${act.number}`, link: { entity: 'act', id: peer.id } }, now);
  });
}
