// The tariff catalog every server has (fixed ids, so subscriptions survive restarts and re-seeding).
import type { Services } from '../context';

export const TARIFFS = [
  { id: '6b1d0c8e-0a51-4d7e-9d1e-1b6f2f6c0001', code: 'start', name: 'Старт', price: 500_000, limits: { users: 2, outgoingDocumentsPerMonth: 50, storageGb: 1 }, modules: ['edo'], closed: false, successor: null },
  { id: '6b1d0c8e-0a51-4d7e-9d1e-1b6f2f6c0002', code: 'business', name: 'Бизнес', price: 1_500_000, limits: { users: 10, outgoingDocumentsPerMonth: 1000, storageGb: 20 }, modules: ['edo', 'dashboards'], closed: false, successor: null },
  { id: '6b1d0c8e-0a51-4d7e-9d1e-1b6f2f6c0003', code: 'corporate', name: 'Корпоративный', price: 4_500_000, limits: { users: 100, outgoingDocumentsPerMonth: 20000, storageGb: 200 }, modules: ['edo', 'dashboards', 'integration_1c'], closed: false, successor: null },
  { id: '6b1d0c8e-0a51-4d7e-9d1e-1b6f2f6c0004', code: 'basic-2024', name: 'Базовый 2024 (закрыт)', price: 1_000_000, limits: { users: 5, outgoingDocumentsPerMonth: 300, storageGb: 5 }, modules: ['edo'], closed: true, successor: '6b1d0c8e-0a51-4d7e-9d1e-1b6f2f6c0002' },
] as const;
export const TARIFF_ID = { start: TARIFFS[0].id, business: TARIFFS[1].id, corporate: TARIFFS[2].id, basic2024: TARIFFS[3].id };

export async function ensureCatalog(s: Services): Promise<void> {
  await s.db
    .insertInto('tariffs')
    .values(TARIFFS.map((t) => ({
      id: t.id, code: t.code, name: t.name, price_tiyn: t.price, period_months: 1, limits: JSON.stringify(t.limits), modules: JSON.stringify(t.modules),
      closed_at: t.closed ? new Date('2025-01-01T00:00:00+05:00') : null, successor_id: t.successor,
    })))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}
