// Sync protocol tests: role-scoped pull, re-scoping tombstones, cursor reset, idempotent mutations under
// concurrency, conflicts, and a property: incremental pulls with any page size converge to a fresh pull.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { encodeCursor, decodeCursor } from '../src/sync/cursor';
import { DEMO, eachBackend, startTestCloud, type TestCloud } from './harness';
import { b64bytes, cmsB64 } from './keys';
import { createTenant } from '../src/seed/tenant';

eachBackend('cloud sync', (backend) => {
  let tc: TestCloud;
  let head: string;
  const c = () => tc.client;
  const users = () => tc.server.seed!.users;
  const db = () => tc.server.services.db;
  const companyId = () => tc.server.seed!.company.id;
  beforeAll(async () => {
    tc = await startTestCloud(backend);
  });
  afterAll(async () => tc?.close());
  beforeEach(async () => {
    head = (await c().login(DEMO.head)).accessToken;
  });

  const count = async (table: 'acts' | 'counterparties', where: (q: never) => never = (q) => q) =>
    Number((await (where(db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('company_id', '=', companyId()) as never) as unknown as { executeTakeFirstOrThrow(): Promise<{ n: number }> }).executeTakeFirstOrThrow()).n);

  it('a first pull yields every visible entity once; page size does not matter', async () => {
    const a = await c().pullAll(head, undefined, 1000);
    const b = await c().pullAll(head, undefined, 37);
    expect(b.pages).toBeGreaterThan(a.pages);
    expect([...b.state.keys()].sort()).toEqual([...a.state.keys()].sort());
    const acts = [...a.state.values()].filter((x) => x.entity === 'act' && x.op === 'upsert').length;
    expect(acts).toBe(await count('acts'));
    // Nothing new: the next pull from the final cursor is empty.
    const again = await c().ok('syncChanges', { token: head, query: { cursor: a.cursor } });
    expect(again).toMatchObject({ changes: [], hasMore: false });
  });

  it('a viewer’s feed holds no acts, counterparties, invoices or other users’ notifications', async () => {
    const viewer = users().find((u) => u.role === 'viewer')!;
    const v = await c().login(viewer.iin);
    const { state } = await c().pullAll(v.accessToken);
    const entities = new Set([...state.values()].map((x) => x.entity));
    expect(entities.has('act')).toBe(false);
    expect(entities.has('counterparty')).toBe(false);
    expect(entities.has('invoice')).toBe(false);
    expect(entities.has('reconciliation')).toBe(false);
    expect(entities.has('user')).toBe(false);
    expect(entities.has('dashboard')).toBe(true);
    expect(entities.has('subscription')).toBe(true);
  });

  it('a manager sees only their branch; after a role/branch change the next pull re-scopes with tombstones', async () => {
    const mgr = users().find((u) => u.role === 'manager')!;
    const m = await c().login(mgr.iin);
    const me = await c().ok('me', { token: m.accessToken });
    const first = await c().pullAll(m.accessToken);
    const acts = [...first.state.values()].filter((x) => x.entity === 'act');
    expect(acts.length).toBe(await count('acts', ((q: { where: (a: string, b: string, c: string) => unknown }) => q.where('branch_id', '=', me.user.branchId!)) as never));
    expect(acts.every((x) => x.data?.branchId === me.user.branchId)).toBe(true);
    await expect(c().ok('actsList', { token: m.accessToken, query: { limit: 1000 } })).resolves.toMatchObject({ items: expect.any(Array) });
    const other = await db().selectFrom('acts').select('id').where('company_id', '=', companyId()).where('branch_id', 'is', null).limit(1).executeTakeFirstOrThrow();
    await c().fails('actGet', 'NOT_FOUND', { token: m.accessToken, params: { id: other.id } });

    // Demoted to viewer: every act and counterparty the device holds gets a tombstone.
    const user = (await c().ok('usersList', { token: head })).items.find((u) => u.id === me.user.id)!;
    await c().ok('syncMutations', { token: head, body: { mutations: [{ mutationId: randomUUID(), name: 'changeRole', args: { userId: user.id, role: 'viewer', branchId: null }, baseVersion: user.version }] } });
    const after = await c().pullAll(m.accessToken, first.cursor, 25);
    const gone = [...after.state.values()].filter((x) => x.entity === 'act' || x.entity === 'counterparty');
    const held = [...first.state.values()].filter((x) => x.entity === 'act' || x.entity === 'counterparty');
    expect(gone.length).toBe(held.length);
    expect(gone.every((x) => x.op === 'delete' && x.data === null)).toBe(true);
    expect([...after.state.values()].some((x) => x.entity === 'dashboard' && x.op === 'upsert')).toBe(true);

    // Promoted to accountant: the acts of every branch arrive.
    const u2 = (await c().ok('usersList', { token: head })).items.find((u) => u.id === me.user.id)!;
    await c().ok('userChangeRole', { token: head, params: { id: u2.id }, body: { role: 'accountant', branchId: null, baseVersion: u2.version } });
    const third = await c().pullAll(m.accessToken, after.cursor);
    const gained = [...third.state.values()].filter((x) => x.entity === 'act' && x.op === 'upsert');
    expect(gained.length).toBe(await count('acts'));
  });

  it('a cursor from the future (restored backup) or another database answers CURSOR_RESET; garbage is CURSOR_INVALID', async () => {
    const { cursor } = await c().pullAll(head);
    const cur = decodeCursor(cursor);
    const future = await c().fails('syncChanges', 'CURSOR_RESET', { token: head, query: { cursor: encodeCursor({ ...cur, s: cur.s + 1000 }) } });
    expect(future.status).toBe(409);
    await c().fails('syncChanges', 'CURSOR_RESET', { token: head, query: { cursor: encodeCursor({ ...cur, e: 'another-database' }) } });
    await c().fails('syncChanges', 'CURSOR_INVALID', { token: head, query: { cursor: 'not-a-cursor' } });
    // A cursor of the first version carries no segment mark: it cannot be checked against a restore, so it starts over.
    const v1 = Buffer.from(JSON.stringify({ v: 1, c: cur.c, e: cur.e, s: cur.s, k: cur.k })).toString('base64url');
    await c().fails('syncChanges', 'CURSOR_RESET', { token: head, query: { cursor: v1 } });
    await c().fails('syncChanges', 'CURSOR_RESET', { token: head, query: { cursor: encodeCursor({ ...cur, m: 'another-mark' }) } });
    await c().fails('syncChanges', 'CURSOR_INVALID', { token: head, query: { cursor: encodeCursor({ ...cur, c: randomUUID() }) } });
  });

  it('the same mutation sent 20 times in parallel is applied once; replays get the first answer', async () => {
    const incoming = (await c().ok('actsList', { token: head, query: { state: 'signed_by_them', limit: 1 } })).items[0];
    const m = { mutationId: randomUUID(), name: 'signAct', args: { actId: incoming.id, cms: cmsB64('head', b64bytes(incoming.canonical.base64)) }, baseVersion: incoming.version };
    const answers = await Promise.all(Array.from({ length: 20 }, () => c().ok('syncMutations', { token: head, body: { mutations: [m] } })));
    const results = answers.map((a) => a.results[0]);
    expect(results.filter((r) => r.status === 'applied')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(19);
    for (const r of results) if (r.status === 'duplicate') expect(r.original.status).toBe('applied');
    const sigs = await db().selectFrom('signatures').select('id').where('doc_id', '=', incoming.id).where('side', '=', 'ours').execute();
    expect(sigs).toHaveLength(1);
    expect((await c().ok('actGet', { token: head, params: { id: incoming.id } })).state).toBe('signed_by_both');
    const audit = await db().selectFrom('audit').select(['id', 'ip', 'device_name', 'user_id']).where('action', '=', 'act.sign').where('target', '=', `act:${incoming.id}`).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ ip: expect.stringMatching(/127\.0\.0\.1/), device_name: expect.any(String), user_id: expect.any(String) });

    const other = await c().ok('syncMutations', { token: head, body: { mutations: [{ ...m, args: { ...m.args, actId: randomUUID() } }] } });
    expect(other.results[0]).toMatchObject({ status: 'rejected', code: 'MUTATION_ID_REUSED' });
  });

  it('conflict when the act moved on since the client saw it; rejections are answers replayed as such', async () => {
    const incoming = (await c().ok('actsList', { token: head, query: { state: 'signed_by_them', limit: 2 } })).items[1];
    await c().ok('actRefuse', { token: head, params: { id: incoming.id }, body: { reason: 'Первое решение' } });
    const stale = { mutationId: randomUUID(), name: 'signAct', args: { actId: incoming.id, cms: cmsB64('head', b64bytes(incoming.canonical.base64)) }, baseVersion: incoming.version };
    const r = (await c().ok('syncMutations', { token: head, body: { mutations: [stale] } })).results[0];
    expect(r).toMatchObject({ status: 'conflict', entity: { entity: 'act', id: incoming.id } });
    if (r.status === 'conflict') expect(r.current).toMatchObject({ state: 'refused' });

    const bad = { mutationId: randomUUID(), name: 'refuseAct', args: { actId: incoming.id, reason: 'x' }, baseVersion: null };
    const first = (await c().ok('syncMutations', { token: head, body: { mutations: [bad] } })).results[0];
    expect(first).toMatchObject({ status: 'rejected', code: 'INVALID_INPUT' });
    const again = (await c().ok('syncMutations', { token: head, body: { mutations: [bad] } })).results[0];
    expect(again).toMatchObject({ status: 'duplicate', original: { status: 'rejected', code: 'INVALID_INPUT' } });
    const unknown = (await c().ok('syncMutations', { token: head, body: { mutations: [{ mutationId: randomUUID(), name: 'dropDatabase', args: {}, baseVersion: null }] } })).results[0];
    expect(unknown).toMatchObject({ status: 'rejected', code: 'INVALID_INPUT' });
    const viewer = users().find((u) => u.role === 'viewer')!;
    const v = await c().login(viewer.iin);
    const forbidden = (await c().ok('syncMutations', { token: v.accessToken, body: { mutations: [{ mutationId: randomUUID(), name: 'refuseAct', args: { actId: incoming.id, reason: 'не моё дело' }, baseVersion: null }] } })).results[0];
    expect(forbidden).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
  });

  it('rejections carry message and action in the caller’s language, replays too; odd arguments are answers, not crashes', async () => {
    const m = { mutationId: randomUUID(), name: 'refuseAct', args: { actId: randomUUID(), reason: 'x', extra: 1.5, nested: { b: [0.25] } }, baseVersion: null };
    const send = (lang: string, mutations: unknown[]) => c().ok('syncMutations', { token: head, body: { mutations }, headers: { 'accept-language': lang } });
    const kk = (await send('kk', [m])).results[0];
    expect(kk).toMatchObject({ status: 'rejected', code: 'INVALID_INPUT', message: 'Кіріс деректері тексеруден өтпеді.', action: 'Белгіленген өрістерді түзетіп, қайталаңыз.' });
    const en = (await send('en', [m])).results[0];
    expect(en).toMatchObject({ status: 'duplicate', original: { status: 'rejected', code: 'INVALID_INPUT', message: 'The input did not pass validation.' } });
    const reused = (await send('kk', [{ ...m, args: { ...m.args, extra: 2.5 } }])).results[0];
    expect(reused).toMatchObject({ status: 'rejected', code: 'MUTATION_ID_REUSED', message: 'Өзгеріс идентификаторы басқа әрекет үшін қолданылған.' });
    let deep: unknown = 'x';
    for (let i = 0; i < 200; i++) deep = { d: deep };
    // A body nested deeper than the contract allows is refused as a whole, naming where.
    const tooDeep = await c().fails('syncMutations', 'INVALID_INPUT', { token: head, body: { mutations: [{ mutationId: randomUUID(), name: 'refuseAct', args: deep, baseVersion: null }] }, headers: { 'accept-language': 'en' } });
    expect(tooDeep.details?.fields).toEqual([expect.objectContaining({ path: expect.stringMatching(/^body\.mutations\.0\.args(\.d)+$/), problem: 'too_deep', message: expect.stringContaining('nested deeper than 32') })]);
  });

  it('property: with writes in between, incremental pulls of any page size converge to a fresh pull', async () => {
    const cps = (await c().ok('counterpartiesList', { token: head, query: { limit: 100 } })).items;
    const base = await c().pullAll(head);
    let cursor = base.cursor;
    const local = base.state;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('create', 'delete', 'read'), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 60 }), async (ops, limit) => {
        for (const op of ops) {
          n++;
          if (op === 'create') await c().ok('counterpartyCreate', { token: head, body: { iinBin: '240140000203', name: `ТОО «Свойство ${n}»` } });
          if (op === 'delete') {
            const victim = cps.pop();
            if (victim) await c().ok('counterpartyDelete', { token: head, params: { id: victim.id } });
          }
          if (op === 'read') {
            const note = [...local.values()].find((x) => x.entity === 'notification' && x.data?.readAt === null);
            if (note) await c().ok('notificationRead', { token: head, params: { id: note.data!.id as string } });
          }
        }
        const inc = await c().pullAll(head, cursor, limit);
        for (const [k, v] of inc.state) local.set(k, v);
        cursor = inc.cursor;
        const fresh = await c().pullAll(head, undefined, 1000);
        const live = (m: typeof local) => [...m.entries()].filter(([, v]) => v.op === 'upsert').map(([k, v]) => `${k}@${v.version}`).sort();
        expect(live(local)).toEqual(live(fresh.state));
      }),
      { numRuns: 6 },
    );
  }, 120_000);
});

eachBackend('cloud EDO between tenants', (backend) => {
  let tc: TestCloud;
  const c = () => tc.client;
  beforeAll(async () => {
    tc = await startTestCloud(backend, { seed: { kind: 'demo', counterparties: 4, acts: 10 } });
  });
  afterAll(async () => tc?.close());

  it('an act sent to a counterparty that is a tenant arrives with the same bytes; both sign; refusal and withdrawal travel back', async () => {
    const s = tc.server.services;
    // The entrepreneur ТЕСТОВ ТЕСТ (ИИН 123456789011, individual test key) is a second client of this server.
    const { companyId: ipId } = await createTenant(s, { name: 'ИП ТЕСТОВ ТЕСТ', iinBin: '123456789011', kind: 'individual_entrepreneur', address: 'г. Астана', firstManager: { iin: '123456789011', fullName: 'ТЕСТОВ ТЕСТ', password: 'Ip-Pass-2026!' } });
    const demoId = tc.server.seed!.company.id;
    const cpId = randomUUID();
    await s.db.insertInto('counterparties').values({ id: cpId, company_id: demoId, branch_id: null, iin_bin: '123456789011', name: 'ИП ТЕСТОВ ТЕСТ', address: 'г. Астана', kbe: '19', iik: null, bik: null, bank: null, email: null }).execute();
    const head = (await c().login(DEMO.head)).accessToken;
    const ch = await c().ok('authChallenge');
    const ip = (await c().ok('authCert', { body: { cms: cmsB64('individual', ch.nonce), device: { id: 'dev-ip-0001', name: 'ip' }, companyId: ipId } })).accessToken;
    expect((await c().ok('me', { token: ip })).company.kind).toBe('individual_entrepreneur');

    const send = async (n: string) => {
      const d = await c().ok('actCreate', { token: head, body: { counterpartyId: cpId, number: n, date: '2026-11-20', lines: [{ name: 'Услуги', performedOn: '2026-11-20', unit: 'усл.', quantity: '1', price: 50_000_00 }], handedOver: { position: 'Директор', name: 'ТЕСТОВ ТЕСТ' } } });
      await c().ok('actSign', { token: head, params: { id: d.id }, body: { cms: cmsB64('head', b64bytes(d.canonical.base64)) } });
      return c().ok('actSend', { token: head, params: { id: d.id } });
    };
    const incomingCopy = async (number: string) => {
      const { state } = await c().pullAll(ip);
      return [...state.values()].find((x) => x.entity === 'act' && x.data?.number === number)!.data!;
    };

    const sent = await send('EDO-1');
    expect(sent.state).toBe('delivered');
    const copy = await incomingCopy('EDO-1');
    expect(copy).toMatchObject({ direction: 'incoming', state: 'signed_by_them', canonical: sent.canonical });
    const r = await c().ok('syncMutations', { token: ip, body: { mutations: [{ mutationId: randomUUID(), name: 'signAct', args: { actId: copy.id, cms: cmsB64('individual', b64bytes(sent.canonical.base64)) }, baseVersion: copy.version as number }] } });
    expect(r.results[0]).toMatchObject({ status: 'applied' });
    const both = await c().ok('actGet', { token: head, params: { id: sent.id } });
    expect(both.state).toBe('signed_by_both');
    expect(both.signatures.map((x) => `${x.side}:${x.role}`).sort()).toEqual(['ours:first_head', 'theirs:individual']);

    const sent2 = await send('EDO-2');
    const copy2 = await incomingCopy('EDO-2');
    await c().ok('actRefuse', { token: ip, params: { id: copy2.id as string }, body: { reason: 'Услуги не оказаны' } });
    expect((await c().ok('actGet', { token: head, params: { id: sent2.id } })).refusal).toMatchObject({ side: 'theirs', reason: 'Услуги не оказаны' });

    const sent3 = await send('EDO-3');
    await c().ok('actWithdraw', { token: head, params: { id: sent3.id }, body: { reason: 'Выставлен ошибочно' } });
    expect((await incomingCopy('EDO-3')).state).toBe('withdrawn');
  });
});
