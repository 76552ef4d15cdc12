import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { signingDecision, type SignerCert } from './signing';
import { billingDue, invoiceDueOn, movesOffClosedTariff, lineAmount, outgoingAllowed, subscriptionState, tariffChangeEffectiveFrom, vatOf, vatRateOn, type BillingFacts, type TariffSpan } from './billing';
import { isDeemedAccepted, reconciliationDeadline, serviceActDeadline } from './deadlines';
import { nextActState, awaitsOurSignature } from './act-states';
import { canSee, scopeKey, viewerFromScopeKey, type Viewer } from './access';

const company = { iinBin: '123456789021', kind: 'legal_entity' as const };
const cert = (o: Partial<SignerCert>): SignerCert => ({ iin: '123456789011', bin: '123456789021', roles: ['first_head'], subjectType: 'legal_entity', canSign: true, ...o });

describe('who may sign', () => {
  it.each([
    ['first head, own company', cert({}), 'first_manager', 'act', { ok: true, role: 'first_head' }],
    ['right to sign', cert({ iin: '123456789012', roles: ['sign_right'] }), 'accountant', 'act', { ok: true, role: 'sign_right' }],
    ['plain employee', cert({ iin: '123456789012', roles: ['employee'] }), 'accountant', 'act', { ok: false, code: 'SIGN_RIGHT_MISSING' }],
    ['financial: service act yes', cert({ iin: '123456789012', roles: ['financial'] }), 'accountant', 'service_act', { ok: true, role: 'financial' }],
    ['financial: EDO act no', cert({ iin: '123456789012', roles: ['financial'] }), 'accountant', 'act', { ok: false, code: 'SIGN_RIGHT_MISSING' }],
    ['other company', cert({ bin: '240140000011' }), 'first_manager', 'act', { ok: false, code: 'CERT_WRONG_SIGNER' }],
    ['individual key for a company', cert({ bin: undefined, roles: [], subjectType: 'individual' }), 'first_manager', 'act', { ok: false, code: 'CERT_WRONG_SIGNER' }],
    ['someone else’s key', cert({}), 'accountant', 'act', { ok: false, code: 'CERT_WRONG_SIGNER' }],
    ['key that may not sign', cert({ canSign: false }), 'first_manager', 'act', { ok: false, code: 'CERT_KEY_USAGE' }],
    ['viewer role', cert({}), 'viewer', 'act', { ok: false, code: 'FORBIDDEN' }],
  ] as const)('%s', (_t, c, role, doc, expected) => {
    const user = { iin: role === 'accountant' ? '123456789012' : '123456789011', role };
    expect(signingDecision({ cert: c, user, company, doc })).toEqual(expected);
  });
  it('an individual entrepreneur signs with the individual key of the same ИИН', () => {
    const ip = { iinBin: '900101300017', kind: 'individual_entrepreneur' as const };
    expect(signingDecision({ cert: cert({ iin: '900101300017', bin: undefined, roles: [], subjectType: 'individual' }), user: { iin: '900101300017', role: 'first_manager' }, company: ip, doc: 'act' })).toEqual({ ok: true, role: 'individual' });
    expect(signingDecision({ cert: cert({ iin: '900101300017', bin: '240140000011' }), user: { iin: '900101300017', role: 'first_manager' }, company: ip, doc: 'act' })).toEqual({ ok: false, code: 'CERT_WRONG_SIGNER' });
  });
});

describe('tariff and billing rules', () => {
  const inv = (id: string, issuedOn: string, paid = false, branchId: string | null = null) => ({ id, branchId, issuedOn, dueOn: invoiceDueOn(issuedOn), paid });
  it.each([
    ['nothing unpaid', [inv('a', '2026-11-01', true)], '2026-11-25', 'active', null, []],
    ['unpaid, within 5 days → warning', [inv('a', '2026-11-20')], '2026-11-25', 'warning', null, []],
    ['due day itself still allowed', [inv('a', '2026-11-20')], '2026-11-25', 'warning', null, []],
    ['past due → blocked from the next day', [inv('a', '2026-11-19')], '2026-11-25', 'blocked', '2026-11-25', []],
    ['branch debt blocks only the branch', [inv('a', '2026-11-01', false, 'b1')], '2026-11-25', 'active', null, ['b1']],
    ['future invoice is ignored', [inv('a', '2026-12-01')], '2026-11-25', 'active', null, []],
  ] as const)('%s', (_t, invoices, today, state, since, branches) => {
    const s = subscriptionState([...invoices], today);
    expect(s.state).toBe(state);
    expect(s.blockedSince).toBe(since);
    expect(s.blockedBranchIds).toEqual(branches);
    expect(s.outgoingAllowed).toBe(state !== 'blocked');
  });
  it.each([
    ['2026-11-20', false, '2026-11-23', false],
    ['2026-11-20', false, '2026-11-24', true],
    ['2026-11-20', true, '2026-12-01', false],
    [null, false, '2026-12-01', false],
  ] as const)('closed on %s, client chose=%s, today %s → moved %s', (closed, chose, today, moved) => expect(movesOffClosedTariff(closed, chose, today)).toBe(moved));
  it('outgoing work per branch', () => {
    expect(outgoingAllowed({ state: 'active', blockedBranchIds: ['b1'] }, 'b1')).toBe(false);
    expect(outgoingAllowed({ state: 'active', blockedBranchIds: ['b1'] }, 'b2')).toBe(true);
    expect(outgoingAllowed({ state: 'blocked', blockedBranchIds: [] }, null)).toBe(false);
  });
  it.each([['2026-11-25', '2026-12-01'], ['2026-12-31', '2027-01-01'], ['2026-01-01', '2026-02-01']])('tariff change on %s takes effect %s', (d, r) => expect(tariffChangeEffectiveFrom(d)).toBe(r));
  it.each([['2025-12-31', 12], ['2026-01-01', 16]])('VAT on %s is %i%%', (d, r) => expect(vatRateOn(d)).toBe(r));
  it.each([[100_00, 16, 16_00], [1, 16, 0], [3, 16, 0], [4, 12, 0], [5, 12, 1], [12_345_67, 12, 1_481_48]])('vatOf(%i, %i) = %i (half up, integer tiyn)', (a, r, v) => expect(vatOf(a, r)).toBe(v));
  it.each([[1_000_000, '2.5', 2_500_000], [333, '0.5', 167], [100, '1.001', 100], [999_99, '3', 2_999_97]])('lineAmount(%i, %s) = %i', (p, q, a) => expect(lineAmount(p, q)).toBe(a));
});

describe('deemed acceptance', () => {
  it.each([
    ['2026-11-02', '2026-11-09'], // Monday → next Monday
    ['2026-03-20', '2026-04-01'], // Nauryz
  ])('service act issued %s: deadline %s (5 working days)', (d, r) => expect(serviceActDeadline(d)).toBe(r));
  it('reconciliation: 5 calendar days', () => expect(reconciliationDeadline('2026-11-27')).toBe('2026-12-02'));
  it.each([
    [true, '2026-11-09', '2026-11-09', false],
    [true, '2026-11-09', '2026-11-10', true],
    [false, '2026-11-09', '2026-12-10', false],
  ])('awaiting=%s deadline=%s today=%s → %s', (w, d, t, r) => expect(isDeemedAccepted(w, d, t)).toBe(r));
});

describe('act lifecycle', () => {
  it.each([
    ['outgoing', 'draft', 'sign', 'signed_by_us'],
    ['outgoing', 'signed_by_us', 'send', 'sent'],
    ['outgoing', 'draft', 'send', null],
    ['outgoing', 'sent', 'withdraw', 'withdrawn'],
    ['outgoing', 'signed_by_both', 'withdraw', null],
    ['outgoing', 'draft', 'delete', 'draft'],
    ['outgoing', 'sent', 'delete', null],
    ['incoming', 'signed_by_them', 'sign', 'signed_by_both'],
    ['incoming', 'delivered', 'sign', 'signed_by_us'],
    ['incoming', 'viewed', 'refuse', 'refused'],
    ['incoming', 'refused', 'sign', null],
    ['incoming', 'signed_by_both', 'refuse', null],
    ['incoming', 'signed_by_them', 'withdraw', null],
  ] as const)('%s %s + %s → %s', (direction, state, action, next) => expect(nextActState({ direction, state }, action)).toBe(next));
  it('awaiting our signature', () => {
    expect(awaitsOurSignature({ direction: 'incoming', state: 'signed_by_them' })).toBe(true);
    expect(awaitsOurSignature({ direction: 'outgoing', state: 'draft' })).toBe(true);
    expect(awaitsOurSignature({ direction: 'outgoing', state: 'sent' })).toBe(false);
  });
});

describe('visibility by role', () => {
  const v = (role: Viewer['role'], branchId: string | null = null): Viewer => ({ userId: 'u1', role, branchId });
  it.each([
    ['viewer never sees acts', v('viewer'), { scope: 'acts', branchId: null, userId: null }, false],
    ['viewer sees dashboards', v('viewer'), { scope: 'dashboards', branchId: null, userId: null }, true],
    ['viewer sees tariff status', v('viewer'), { scope: 'billing_status', branchId: null, userId: null }, true],
    ['manager sees own branch acts', v('manager', 'b1'), { scope: 'acts', branchId: 'b1', userId: null }, true],
    ['manager does not see other branch', v('manager', 'b1'), { scope: 'acts', branchId: 'b2', userId: null }, false],
    ['manager does not see head-office acts', v('manager', 'b1'), { scope: 'acts', branchId: null, userId: null }, false],
    ['manager does not see billing', v('manager', 'b1'), { scope: 'billing', branchId: null, userId: null }, false],
    ['accountant sees every branch', v('accountant'), { scope: 'acts', branchId: 'b2', userId: null }, true],
    ['accountant does not see users', v('accountant'), { scope: 'users', branchId: null, userId: null }, false],
    ['nobody sees another user’s notifications', v('first_manager'), { scope: 'personal', branchId: null, userId: 'u2' }, false],
    ['own notifications', v('viewer'), { scope: 'personal', branchId: null, userId: 'u1' }, true],
  ] as const)('%s', (_t, viewer, row, expected) => expect(canSee(viewer, row)).toBe(expected));
  it('scope keys round-trip', () => {
    expect(viewerFromScopeKey('u1', scopeKey(v('manager', 'b1')))).toEqual(v('manager', 'b1'));
    expect(viewerFromScopeKey('u1', 'nonsense')).toBeNull();
  });
});

describe('the monthly billing cycle (fixed clock)', () => {
  const START = 'start', BUSINESS = 'business';
  const span = (tariffId: string, from: string, to: string | null = null): TariffSpan => ({ tariffId, price: tariffId === START ? 500_000 : 1_500_000, from, to });
  const facts = (today: string, history: TariffSpan[], invoiced: string[] = [], serviceActs: string[] = []): BillingFacts => ({ today, history, invoiced: new Set(invoiced), serviceActs: new Set(serviceActs) });
  const brief = (f: BillingFacts) => {
    const d = billingDue(f);
    return { invoices: d.invoices.map((i) => `${i.period} ${i.issuedOn}→${i.dueOn} ${i.tariffId} ${i.amount}`), serviceActs: d.serviceActs.map((a) => `${a.month} ${a.issuedOn}→${a.deadline} ${a.tariffId} ${a.amount}`) };
  };
  it.each([
    ['a client who joined today gets this month’s invoice the same day, due in 5 calendar days',
      facts('2026-11-25', [span(BUSINESS, '2026-11-25')]), { invoices: ['2026-11 2026-11-25→2026-11-30 business 1500000'], serviceActs: [] }],
    ['on the 1st: the new month’s invoice and the service act for the month just ended (first working day, 5 working days)',
      facts('2026-12-01', [span(BUSINESS, '2026-11-25')], ['2026-11']), { invoices: ['2026-12 2026-12-01→2026-12-06 business 1500000'], serviceActs: ['2026-11 2026-12-01→2026-12-08 business 1500000'] }],
    ['running again the same day issues nothing',
      facts('2026-12-01', [span(BUSINESS, '2026-11-25')], ['2026-11', '2026-12'], ['2026-11']), { invoices: [], serviceActs: [] }],
    ['a tariff change takes effect on the 1st: December bills the new tariff, November’s act the old one',
      facts('2026-12-02', [span(START, '2026-10-01', '2026-12-01'), span(BUSINESS, '2026-12-01')], ['2026-10', '2026-11'], ['2026-10']),
      { invoices: ['2026-12 2026-12-01→2026-12-06 business 1500000'], serviceActs: ['2026-11 2026-12-01→2026-12-08 start 500000'] }],
    ['new year: the invoice is dated the 1st; December’s act waits for the first working day (1, 2 and 4 January are holidays) and 7 January does not count',
      facts('2027-01-05', [span(BUSINESS, '2026-06-01')], ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'], ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']),
      { invoices: ['2027-01 2027-01-01→2027-01-06 business 1500000'], serviceActs: ['2026-12 2027-01-05→2027-01-13 business 1500000'] }],
    ['before the first working day the act is not issued yet',
      facts('2027-01-04', [span(BUSINESS, '2026-06-01')], ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01'], ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']),
      { invoices: [], serviceActs: [] }],
    ['a server off for two years bills back at most twelve months of invoices and acts',
      facts('2026-11-10', [span(START, '2024-01-01')]), { invoices: 12, serviceActs: 12 }],
    ['no subscription, nothing to bill', facts('2026-11-10', []), { invoices: [], serviceActs: [] }],
  ] as const)('%s', (_t, f, want) => {
    const got = brief(f as BillingFacts);
    if (typeof want.invoices === 'number') {
      expect([got.invoices.length, got.serviceActs.length]).toEqual([want.invoices, want.serviceActs]);
      expect(got.invoices[0]).toMatch(/^2025-12 /);
      expect(got.serviceActs[0]).toMatch(/^2025-11 /);
    } else expect(got).toEqual(want);
  });
  it('whatever it issued, issued again at once is nothing (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 700 }), fc.integer({ min: 0, max: 400 }), (startOffset, later) => {
      const from = new Date(Date.UTC(2025, 0, 1 + startOffset)).toISOString().slice(0, 10);
      const today = new Date(Date.UTC(2025, 0, 1 + startOffset + later)).toISOString().slice(0, 10);
      if (today > '2027-12-31') return true;
      const first = billingDue(facts(today, [span(BUSINESS, from)]));
      const again = billingDue(facts(today, [span(BUSINESS, from)], first.invoices.map((i) => i.period), first.serviceActs.map((a) => a.month)));
      return again.invoices.length === 0 && again.serviceActs.length === 0 && first.invoices.every((i) => i.issuedOn <= today && i.issuedOn >= from);
    }));
  });
});
