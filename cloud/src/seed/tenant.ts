// A new client company with its first manager (what kense's registration does; used by tests and seeds).
import { randomUUID } from 'node:crypto';
import { kzDate } from '../../../contract/kz-calendar';
import type { Services } from '../context';
import { hashPassword } from '../auth/passwords';
import { publish } from '../feed';
import { companyFeed, userFeed } from '../domain/company';
import { subscriptionFeed, tariffFeed } from '../domain/billing';
import { TARIFF_ID } from './catalog';

export interface NewTenant {
  name: string;
  iinBin: string;
  kind: 'legal_entity' | 'individual_entrepreneur';
  address: string;
  firstManager: { iin: string; fullName: string; password: string };
}

export async function createTenant(s: Services, t: NewTenant): Promise<{ companyId: string; userId: string }> {
  const hash = await hashPassword(t.firstManager.password);
  const now = s.clock.now();
  return s.db.transaction().execute(async (trx) => {
    const c = await trx.insertInto('companies').values({ id: randomUUID(), name: t.name, iin_bin: t.iinBin, kind: t.kind, address: t.address }).returningAll().executeTakeFirstOrThrow();
    const u = await trx
      .insertInto('users')
      .values({ id: randomUUID(), company_id: c.id, iin: t.firstManager.iin, full_name: t.firstManager.fullName, role: 'first_manager', branch_id: null, password_hash: hash, password_changed_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const sub = await trx.insertInto('subscriptions').values({ company_id: c.id, tariff_id: TARIFF_ID.business }).returningAll().executeTakeFirstOrThrow();
    // The subscription starts today: the monthly cycle bills from here.
    await trx.insertInto('subscription_history').values({ id: randomUUID(), company_id: c.id, tariff_id: TARIFF_ID.business, valid_from: kzDate(now), valid_to: null }).execute();
    const tariffs = await trx.selectFrom('tariffs').selectAll().execute();
    await publish(trx, c.id, [companyFeed(c), userFeed(u, now), subscriptionFeed(sub), ...tariffs.map(tariffFeed)]);
    return { companyId: c.id, userId: u.id };
  });
}
