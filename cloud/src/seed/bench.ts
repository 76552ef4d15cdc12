// `--seed bench:N`: a company with N acts for the sync benchmark (one first manager; acts spread over a year).
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { addCalendarDays, kzDate } from '../../../contract/kz-calendar';
import type { ActsTable } from '../db/schema';
import type { Services } from '../context';
import type { SeedReport } from './report';
import { hashPassword } from '../auth/passwords';
import { publish } from '../feed';
import { actCanonical, actFeed, actView, buildR1 } from '../domain/acts';
import { companyFeed, userFeed } from '../domain/company';
import { subscriptionFeed, tariffFeed } from '../domain/billing';
import { TARIFF_ID } from './catalog';
import { SERVICES, address, companyName, int, pick, prng, validBin, validIin } from './generate';
import { insertChunked } from './insert';
import { DEMO_PASSWORD } from './demo';

export const BENCH_BIN = '240140000011';
const BATCH = 2000;

export async function seedBench(s: Services, n: number): Promise<SeedReport> {
  const started = Date.now();
  const r = prng(7);
  const user = { iin: validIin(r), fullName: 'Бенчмарков Бенчмарк', role: 'first_manager', password: DEMO_PASSWORD };
  const name = 'ТОО «Бенчмарк»';
  let company = await s.db.selectFrom('companies').selectAll().where('iin_bin', '=', BENCH_BIN).executeTakeFirst();
  const now = s.clock.now();
  if (!company) {
    const hash = await hashPassword(DEMO_PASSWORD);
    company = await s.db.transaction().execute(async (trx) => {
      const c = await trx.insertInto('companies').values({ id: randomUUID(), name, iin_bin: BENCH_BIN, kind: 'legal_entity', address: 'г. Астана, пр. Мангилик Ел, 55' }).returningAll().executeTakeFirstOrThrow();
      const u = await trx.insertInto('users').values({ id: randomUUID(), company_id: c.id, iin: user.iin, full_name: user.fullName, role: 'first_manager', branch_id: null, password_hash: hash, password_changed_at: now }).returningAll().executeTakeFirstOrThrow();
      const sub = await trx.insertInto('subscriptions').values({ company_id: c.id, tariff_id: TARIFF_ID.corporate }).returningAll().executeTakeFirstOrThrow();
      const tariffs = await trx.selectFrom('tariffs').selectAll().execute();
      await publish(trx, c.id, [companyFeed(c), userFeed(u, now), subscriptionFeed(sub), ...tariffs.map(tariffFeed)]);
      return c;
    });
  }
  const have = Number((await s.db.selectFrom('acts').select((eb) => eb.fn.countAll<number>().as('n')).where('company_id', '=', company.id).executeTakeFirstOrThrow()).n);
  const today = kzDate(now);
  const us = { name, iinBin: BENCH_BIN, address: company.address };
  const cps = Array.from({ length: 50 }, (_, i) => ({ name: companyName(r, i), iinBin: validBin(r), address: address(r) }));
  for (let done = have; done < n; ) {
    const size = Math.min(BATCH, n - done);
    const rows: Selectable<ActsTable>[] = [];
    for (let i = 0; i < size; i++) {
      const k = done + i;
      const id = randomUUID();
      const date = addCalendarDays(today, -(k % 365));
      const cp = cps[k % cps.length];
      const sv = pick(r, SERVICES);
      const r1 = buildR1({
        documentNumber: `Б-${k + 1}`, documentDate: date, performer: us, customer: cp, contract: null,
        lines: [{ name: sv.name, performedOn: date, report: '', unit: sv.unit, quantity: String(int(r, 1, 20)), price: sv.price[0] }],
        customerStocks: '', attachments: [], handedOver: { position: 'Директор', name: user.fullName }, accepted: { position: 'Директор', name: 'Покупатель' },
      });
      const c = actCanonical(id, r1);
      const t = new Date(`${date}T10:00:00+05:00`);
      rows.push({
        id, company_id: company.id, branch_id: null, direction: 'outgoing', number: `Б-${k + 1}`, date, counterparty_id: null, counterparty_name: cp.name,
        counterparty_iin_bin: cp.iinBin, state: 'draft', amount_with_vat: r1.totals.amountWithVat, r1: JSON.stringify(r1), canonical: c.bytes,
        canonical_sha256: c.sha256, canonical_format: c.format, refusal: null, withdrawal: null, version: 1, created_at: t, updated_at: t, peer_act_id: null, peer_company_id: null,
      });
    }
    await s.db.transaction().execute(async (trx) => {
      await insertChunked(trx, 'acts', rows, 400);
      await publish(trx, company.id, rows.map((a) => actFeed(a, actView(a, []))));
    });
    done += size;
  }
  return {
    company: { id: company.id, name, iinBin: BENCH_BIN },
    users: [user],
    documents: Math.max(n, have),
    created: have < n,
    ms: Date.now() - started,
  };
}
