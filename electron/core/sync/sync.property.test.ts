// Properties of the outbox and the rebase (fast-check) over a real encrypted database: whatever the order of pulls,
// duplicate pages, local signatures, push answers and dismissals, a local change is never dropped silently, the
// document never flips back to "awaiting" while our signature is unconfirmed, and applying a page twice changes nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Change } from '../../../contract/cloud';
import { MemoryKeyVault } from '../store/key-vault';
import { ProfileRoot } from '../store/profiles';
import { Store } from '../store/store';
import { Outbox } from '../store/outbox';
import { DocumentQueries } from '../store/documents';
import { applyPage, rebaseDocument } from './apply';
import { overlayOf, type OverlayEntry } from './overlay';

const ID = '00000000-0000-4000-8000-000000000001';
const actData = (version: number, state: string) => ({
  id: ID, version, number: 'В-1', date: '2026-11-25', direction: 'incoming', counterpartyName: 'ТОО «Тест»', counterpartyIinBin: '240140000011',
  amountWithVat: 100_00, state, branchId: null,
});

type Op =
  | { t: 'pull'; state: 'sent' | 'signed_by_us' | 'withdrawn' }
  | { t: 'pullAgain' }
  | { t: 'sign' }
  | { t: 'answer'; status: 'applied' | 'conflict' | 'rejected' | 'lost' }
  | { t: 'dismiss' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('pull' as const), state: fc.constantFrom('sent' as const, 'signed_by_us' as const, 'withdrawn' as const) }),
  fc.constant({ t: 'pullAgain' as const }),
  fc.constant({ t: 'sign' as const }),
  fc.record({ t: fc.constant('answer' as const), status: fc.constantFrom('applied' as const, 'conflict' as const, 'rejected' as const, 'lost' as const) }),
  fc.constant({ t: 'dismiss' as const }),
);

async function withStore<T>(f: (s: Store) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kense-prop-'));
  const root = new ProfileRoot(dir, new MemoryKeyVault());
  const store = new Store('p'.repeat(0) + 'a'.repeat(24), await root.open('a'.repeat(24), { create: true }));
  try {
    return await f(store);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function snapshot(s: Store) {
  return {
    docs: s.w.prepare('SELECT kind, id, version, state, local_state, awaiting, server_awaiting FROM documents ORDER BY rowid').all(),
    outbox: s.w.prepare('SELECT mutation_id, status, confirmed_version FROM outbox ORDER BY seq').all(),
    cursor: s.meta('cursor'),
  };
}

describe('outbox and rebase (properties)', () => {
  it('overlayOf: a conflict or rejection always shows; an unconfirmed signature never looks synced', () => {
    const entry = fc.record({
      seq: fc.integer({ min: 1, max: 50 }),
      name: fc.constantFrom('signAct', 'refuseAct', 'markNotificationRead'),
      status: fc.constantFrom('pending' as const, 'applied' as const, 'conflict' as const, 'rejected' as const),
      confirmedVersion: fc.option(fc.integer({ min: 1, max: 9 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(entry, { maxLength: 6, selector: (e) => e.seq }), fc.option(fc.integer({ min: 1, max: 9 }), { nil: null }), (entries: OverlayEntry[], cached) => {
        const { state, confirmed } = overlayOf(entries, cached);
        const live = entries.filter((e) => !confirmed.includes(e.seq));
        if (live.some((e) => e.status === 'conflict')) return state === 'sync_conflict';
        if (live.some((e) => e.status === 'rejected')) return state === 'sync_rejected';
        // only applied entries the cache has caught up with are confirmed
        for (const e of entries.filter((x) => confirmed.includes(x.seq))) if (e.status !== 'applied' || (e.confirmedVersion !== null && (cached ?? 0) < e.confirmedVersion)) return false;
        if (live.some((e) => e.name === 'signAct')) return state === 'signed_locally' || state === 'refused_locally';
        return true;
      }),
      { numRuns: 2000 },
    );
  });

  it('over a real database: no silent drop, no flip back to awaiting, a page applied twice changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) =>
        withStore(async (s) => {
          const outbox = new Outbox(s);
          let server = { version: 1, state: 'sent' };
          let seq = 0;
          let lastPage: Change[] = [];
          const pull = async (page: Change[]) => applyPage(s, page, `c${++seq}`);
          lastPage = [{ seq: ++seq, entity: 'act', id: ID, version: 1, op: 'upsert', data: actData(1, 'sent') }];
          await pull(lastPage);
          // every change made here and the status it was last seen in
          const known = new Map<string, string>();
          for (const o of ops) {
            if (o.t === 'pull') {
              server = { version: server.version + 1, state: o.state };
              lastPage = [{ seq: ++seq, entity: 'act', id: ID, version: server.version, op: 'upsert', data: actData(server.version, server.state) }];
              await pull(lastPage);
            } else if (o.t === 'pullAgain') {
              const before = snapshot(s);
              await applyPage(s, lastPage, s.meta<string>('cursor') as string);
              expect(snapshot(s)).toEqual(before);
            } else if (o.t === 'sign') {
              const doc = new DocumentQueries(s.r).get('act', ID);
              if (!doc || doc.row.localState === 'signed_locally') continue;
              await s.tx(() => {
                known.set(outbox.enqueue({ name: 'signAct', args: { actId: ID, cms: 'AA==' }, baseVersion: doc.version, target: { kind: 'act', id: ID } }, '2026-11-25T10:00:00.000+05:00'), 'pending');
                rebaseDocument(s, 'act', ID);
              });
            } else if (o.t === 'answer') {
              const [row] = outbox.pending(1);
              if (!row || o.status === 'lost') continue;
              await s.tx(() => {
                if (o.status === 'applied') {
                  // the server applied it: its version moves on; the cache learns that version with a later pull
                  server = { version: server.version + 1, state: 'signed_by_us' };
                  outbox.answer(row.seq, { status: 'applied', confirmedVersion: server.version }, 'now');
                } else outbox.answer(row.seq, { status: o.status as 'conflict' | 'rejected', error: { code: o.status === 'conflict' ? 'CONFLICT' : 'TARIFF_BLOCKED', message: 'm', action: 'a' } }, 'now');
                rebaseDocument(s, 'act', ID);
              });
            } else {
              const problem = outbox.all().find((r) => r.status === 'conflict' || r.status === 'rejected');
              if (!problem) continue;
              await s.tx(() => {
                outbox.resolve(problem.mutationId, 'dismiss');
                known.delete(problem.mutationId);
                rebaseDocument(s, 'act', ID);
              });
            }
            // invariants after every step
            const rows = outbox.all();
            const doc = new DocumentQueries(s.r).get('act', ID);
            for (const [id, last] of known) {
              const r = rows.find((x) => x.mutationId === id);
              // a change leaves the outbox only once applied (and the cache holds its version) or dismissed by the user
              if (!r) expect(last).toBe('applied');
              else known.set(id, r.status);
            }
            const unconfirmedSign = rows.some((r) => r.name === 'signAct' && (r.status === 'pending' || r.status === 'applied'));
            const problem = rows.some((r) => r.status === 'conflict' || r.status === 'rejected');
            if (unconfirmedSign && !problem) {
              expect(doc?.row.localState).toBe('signed_locally');
              expect(doc?.row.awaitingSignature).toBe(false);
            }
            if (problem) expect(doc?.row.localState).toMatch(/^sync_(conflict|rejected)$/);
            for (const r of rows) if (r.status === 'applied') expect((doc?.version ?? 0) < (r.confirmedVersion ?? 0)).toBe(true);
          }
          // after a final pull of the server's state, nothing applied is left waiting
          lastPage = [{ seq: ++seq, entity: 'act', id: ID, version: server.version, op: 'upsert', data: actData(server.version, server.state) }];
          await pull(lastPage);
          expect(outbox.all().filter((r) => r.status === 'applied')).toEqual([]);
          return true;
        }),
      ),
      { numRuns: 60 },
    );
  });
});
