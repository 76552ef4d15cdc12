// Core's side of the IPC contract: one handler per core operation (tsc fails until every one has a handler).
import type { z } from 'zod';
import { KenseError } from '../../../contract/errors';
import {
  zAppPolicy, zBranch, zCounterparty, zDashboard, zInvoice, zNotification, zSubscription, zTariff, zUser,
} from '../../../contract/cloud';
import {
  IPC_VERSION, createDispatcher, type CoreOperationName, type Dispatcher, type Handlers, type SyncProblem,
} from '../../../contract/ipc';
import { kzDate } from '../../../contract/kz-calendar';
import { tariffChangeEffectiveFrom } from '../../../contract/rules/billing';
import { probeKeyFiles } from '../../../native-bridge/signer/health';
import { usualKeyPlaces } from '../../../native-bridge/signer/key-files';
import { DocumentQueries } from '../store/documents';
import { Outbox } from '../store/outbox';
import { rebaseDocument, startRebuild } from '../sync/apply';
import { refuseDocument, signDocuments, audit, CERT_WARN_DAYS, payloadOf, type SigningDeps } from '../signing/orchestrator';
import { normalizeSerial } from '../signing/signature-check';
import { kzIso } from '../time';
import type { Core, OpenProfile } from '../core';
import { documentDetail, problemOf } from './detail';
import { verifyFile } from './verify-file';
import { runDoctor } from './doctor';
import { entities } from './cache';
import { supportHandlers } from './support';

const DAY = 86_400_000;
type AppPolicy = z.infer<typeof zAppPolicy>;
type Dashboard = z.infer<typeof zDashboard>;
const STALE_AFTER_MS = DAY;

const window = <T>(items: T[], offset: number, limit: number) => items.slice(offset, offset + limit);

function signingDeps(core: Core, p: OpenProfile, requestId?: string): SigningDeps {
  return {
    store: p.store,
    profile: p.info,
    now: core.now,
    locale: () => core.locale(),
    check: async () => ({
      trust: core.trustStore(p.info.trust),
      crls: core.crlsAtHand(p.info.trust),
      revocationSource: core.revocationSource(p),
      compromised: (serial) => !!p.store.r.prepare('SELECT 1 FROM compromised WHERE serial = ?').get(serial),
    }),
    progress: (phase, done, total) => core.events.emit('signing.progress', { requestId: requestId ?? null, phase, done, total }),
  };
}

/** The stuck oldest change and the answered problems, as the office lists them. */
function problems(p: OpenProfile): SyncProblem[] {
  const status = p.engine.status();
  const out: SyncProblem[] = [];
  for (const row of new Outbox(p.store).all()) {
    const stuck = status.stuck && row.status === 'pending' && row.createdAt === status.stuck.since ? status.stuck.since : null;
    const pr = problemOf(stuck && !row.error && status.stuck?.lastError ? { ...row, error: status.stuck.lastError } : row, stuck);
    if (pr) out.push(pr);
  }
  return out;
}

function versionAtLeast(version: string, minimum: string): boolean {
  const parts = (v: string) => v.split(/[.-]/).slice(0, 3).map((x) => Number.parseInt(x, 10) || 0);
  const a = parts(version);
  const b = parts(minimum);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

export function coreHandlers(core: Core): Handlers<CoreOperationName> {
  const open = () => core.require();
  const afterChange = (p: OpenProfile) => p.engine.trigger();
  const online = async <T>(p: OpenProfile, f: () => Promise<T>): Promise<T> => {
    const r = await f();
    afterChange(p);
    return r;
  };

  return {
    // ── session ──
    'session.status': () => core.status(),
    'session.profiles': async () => ({ items: await core.profiles() }),
    'session.signInWithPassword': (i) => core.signInWithPassword(i),
    'session.signInWithCertificate': (i) => core.signInWithCertificate(i),
    'session.openProfile': (i) => core.openProfile(i.profileId),
    'session.signOut': (i) => core.signOut(i),

    // ── security ──
    'security.passwordPolicy': (i) => {
      const url = i.cloudUrl ?? core.cloudUrl();
      if (!url) throw new KenseError('INVALID_INPUT', { fields: [{ path: 'cloudUrl', message: 'no kense cloud address is configured' }] });
      return core.anonymousClient(url).call('passwordPolicy');
    },
    'security.changePassword': async (i) => {
      const p = open();
      await p.client.call('passwordChange', { body: i });
      await p.store.tx(() => {
        p.store.setMeta('profile', { ...p.info, passwordChangeRequired: false });
        audit(p.store, kzIso(core.now()), 'password.change', null, {});
      });
      p.info = { ...p.info, passwordChangeRequired: false };
      core.events.emit('session.changed', core.status());
      return { ok: true as const };
    },
    'security.totpSetup': () => open().client.call('totpSetup'),
    'security.totpEnable': async (i) => {
      await open().client.call('totpEnable', { body: i });
      return { ok: true as const };
    },
    'security.totpDisable': async (i) => {
      await open().client.call('totpDisable', { body: i });
      return { ok: true as const };
    },

    // ── home ──
    'home.get': () => {
      const p = open();
      const now = core.now().getTime();
      const dashboards = entities(core, p, 'dashboard', zDashboard);
      // The newest snapshot of a kind; the dispatcher checks its data against the contract on the way out.
      const snap = (kind: Dashboard['kind']): never => {
        const d = dashboards.filter((x) => x.kind === kind).sort((a, b) => (a.asOf < b.asOf ? 1 : -1))[0];
        return (d ? { asOf: d.asOf, stale: now - Date.parse(d.asOf) > STALE_AFTER_MS, data: d.data } : null) as never;
      };
      const q = new DocumentQueries(p.store.r);
      const awaiting = { count: q.count({ awaitingSignature: true }), items: q.list({ filter: { awaitingSignature: true }, sort: { by: 'deadline', direction: 'asc' }, offset: 0, limit: 20 }) };
      const sub = entities(core, p, 'subscription', zSubscription)[0];
      const certs = p.store.r.prepare('SELECT * FROM certificates ORDER BY not_after').all() as { serial: string; common_name: string | null; iin: string | null; bin: string | null; not_before: string; not_after: string; test: number }[];
      const notifications = entities(core, p, 'notification', zNotification);
      return {
        money: snap('money'),
        sales: snap('sales'),
        receivables: snap('receivables'),
        payables: snap('payables'),
        awaiting,
        billing: sub ? { state: sub.state, outgoingAllowed: sub.outgoingAllowed, unpaidInvoices: sub.unpaidInvoiceIds.length, blockedSince: sub.blockedSince } : null,
        certificates: certs.map((c) => {
          const daysLeft = Math.floor((Date.parse(c.not_after) - now) / DAY);
          return {
            serial: c.serial, commonName: c.common_name, iin: c.iin, bin: c.bin, notBefore: c.not_before, notAfter: c.not_after, daysLeft, test: c.test === 1,
            warning: daysLeft <= CERT_WARN_DAYS ? payloadOf(new KenseError(daysLeft < 0 ? 'CERT_EXPIRED' : 'CERT_EXPIRING_SOON', { daysLeft, serial: c.serial }), core.locale()) : null,
          };
        }),
        unreadNotifications: notifications.filter((n) => n.readAt === null).length,
        lastSyncAt: p.store.meta<string>('lastSyncAt') ?? null,
      };
    },

    // ── documents ──
    'documents.count': (i) => ({ total: new DocumentQueries(open().store.r).count(i.filter) }),
    'documents.list': (i) => ({ offset: i.offset, items: new DocumentQueries(open().store.r).list(i) }),
    'documents.get': (i) => {
      const p = open();
      return documentDetail(core, p, i);
    },
    'documents.sign': async (i) => {
      const p = open();
      const trust = p.info.trust;
      const signer = core.signer(i, trust);
      const abort = core.abortFor(i.requestId);
      core.busy(+1);
      try {
        const r = await signDocuments(signingDeps(core, p, i.requestId), i.items, signer, abort.signal);
        if (i.via === 'p12' && i.p12Path) await p.store.tx(() => p.store.setMeta('p12Path', i.p12Path));
        core.events.emit('data.changed', { entities: ['outbox', ...new Set(i.items.map((x) => x.kind))], refs: i.items.slice(0, 100) });
        afterChange(p);
        const c = r.certificate;
        return {
          results: r.results,
          signer: c
            ? {
                serial: normalizeSerial(c.serialNumber), commonName: c.commonName ?? null, iin: c.iin ?? null, bin: c.bin ?? null, notBefore: kzIso(c.notBefore), notAfter: kzIso(c.notAfter),
                daysLeft: Math.floor((c.notAfter.getTime() - core.now().getTime()) / DAY), test: /\bTEST\b/i.test(c.issuerDn),
              }
            : null,
          warnings: r.warnings,
        };
      } finally {
        core.busy(-1);
        if (i.requestId) core.signingAborts.delete(i.requestId);
        await signer.close();
      }
    },
    'documents.refuse': async (i) => {
      const p = open();
      const r = await refuseDocument(signingDeps(core, p), { kind: i.kind, id: i.id }, i.reason);
      core.events.emit('data.changed', { entities: ['outbox', i.kind], refs: [{ kind: i.kind, id: i.id }] });
      afterChange(p);
      return r;
    },
    'documents.exportData': (i) => {
      const detail = documentDetail(core, open(), i);
      return { detail, qrText: `kense:${i.kind}:${i.id}:sha256:${detail.canonical.sha256}`, generatedAt: kzIso(core.now()) };
    },
    'signing.cancel': (i) => {
      const a = core.signingAborts.get(i.requestId);
      a?.abort();
      return { cancelled: a !== undefined };
    },

    // ── counterparties, billing ──
    'counterparties.list': (i) => {
      const all = entities(core, open(), 'counterparty', zCounterparty).sort((a, b) => a.name.localeCompare(b.name, 'ru'));
      const s = i.search?.toLowerCase();
      const hits = s ? all.filter((c) => c.name.toLowerCase().includes(s) || c.iinBin.includes(s)) : all;
      return { total: hits.length, items: window(hits, i.offset, i.limit) };
    },
    'billing.get': () => {
      const p = open();
      const sub = entities(core, p, 'subscription', zSubscription)[0] ?? null;
      const tariffs = entities(core, p, 'tariff', zTariff);
      const invoices = entities(core, p, 'invoice', zInvoice).filter((x) => x.status !== 'paid').sort((a, b) => (a.dueOn < b.dueOn ? -1 : 1));
      return {
        subscription: sub,
        tariff: tariffs.find((t) => t.id === sub?.tariffId) ?? null,
        pendingTariff: tariffs.find((t) => t.id === sub?.pendingTariffId) ?? null,
        unpaidInvoices: invoices,
        blocked:
          sub && (sub.state === 'blocked' || sub.blockedBranchIds.length > 0)
            ? { since: sub.blockedSince, branchIds: sub.blockedBranchIds, allowed: ['incoming_documents', 'archive', 'dashboards', 'export'], refused: ['sign_outgoing', 'send_outgoing', 'create_documents'] }
            : null,
      };
    },
    'tariffs.list': () => {
      const p = open();
      const sub = entities(core, p, 'subscription', zSubscription)[0];
      return { items: entities(core, p, 'tariff', zTariff).sort((a, b) => a.pricePerMonth - b.pricePerMonth), currentId: sub?.tariffId ?? null, pendingId: sub?.pendingTariffId ?? null };
    },
    'tariffs.change': async (i) => {
      const p = open();
      const subscription = await online(p, () => p.client.call('subscriptionChange', { body: { tariffId: i.tariffId } }));
      return { subscription, effectiveFrom: subscription.pendingFrom ?? tariffChangeEffectiveFrom(kzDate(core.now())) };
    },
    'invoices.list': (i) => {
      const all = entities(core, open(), 'invoice', zInvoice)
        .filter((x) => !i.status || x.status === i.status)
        .sort((a, b) => (a.issuedOn < b.issuedOn ? 1 : a.issuedOn > b.issuedOn ? -1 : 0));
      return { total: all.length, items: window(all, i.offset, i.limit) };
    },
    'invoices.get': (i) => {
      const inv = entities(core, open(), 'invoice', zInvoice).find((x) => x.id === i.id);
      if (!inv) throw new KenseError('NOT_FOUND', { entity: 'invoice', id: i.id });
      return inv;
    },
    'reconciliations.create': async (i) => {
      const p = open();
      const r = await online(p, () => p.client.call('reconciliationCreate', { body: i }));
      return { kind: 'reconciliation' as const, id: r.id };
    },

    // ── company ──
    'users.list': () => {
      const p = open();
      return { items: entities(core, p, 'user', zUser).sort((a, b) => a.fullName.localeCompare(b.fullName, 'ru')), branches: entities(core, p, 'branch', zBranch) };
    },
    'users.create': (i) => {
      const p = open();
      return online(p, () => p.client.call('userCreate', { body: i }));
    },
    'users.changeRole': async (i) => {
      const p = open();
      const user = entities(core, p, 'user', zUser).find((u) => u.id === i.userId);
      if (!user) throw new KenseError('NOT_FOUND', { entity: 'user', id: i.userId });
      const at = kzIso(core.now());
      await p.store.tx(() => {
        new Outbox(p.store).enqueue({ name: 'changeRole', args: { userId: i.userId, role: i.role, branchId: i.branchId }, baseVersion: user.version, target: null }, at);
        audit(p.store, at, 'user.role', `user:${i.userId}`, { role: i.role, branchId: i.branchId });
      });
      afterChange(p);
      return { queued: true as const };
    },
    'users.unlock': (i) => {
      const p = open();
      return online(p, () => p.client.call('userUnlock', { params: { id: i.userId } }));
    },
    'users.terminate': (i) => {
      const p = open();
      return online(p, () => p.client.call('userTerminate', { params: { id: i.userId } }));
    },
    'sessions.list': () => open().client.call('sessionsList'),
    'sessions.end': async (i) => {
      await open().client.call('sessionEnd', { params: { id: i.id } });
      return { ok: true as const };
    },
    'certificates.list': () => open().client.call('certificatesList'),
    'certificates.reportCompromise': async (i) => {
      const p = open();
      const serial = normalizeSerial(i.serial);
      const at = kzIso(core.now());
      // Refused for signing here at once; the server learns it with the next push.
      await p.store.tx(() => {
        p.store.w.prepare('INSERT INTO compromised (serial, reported_at) VALUES (?, ?) ON CONFLICT (serial) DO NOTHING').run(serial, at);
        new Outbox(p.store).enqueue({ name: 'reportKeyCompromise', args: { serial, ...(i.reason ? { reason: i.reason } : {}) }, baseVersion: null, target: null }, at);
        audit(p.store, at, 'certificate.compromised', `certificate:${serial}`, {});
      });
      afterChange(p);
      return { queued: true as const };
    },
    'certificates.restore': async (i) => {
      const p = open();
      const r = await online(p, () => p.client.call('certificateRestore', { params: { serial: i.serial } }));
      await p.store.tx(() => p.store.w.prepare('DELETE FROM compromised WHERE serial = ?').run(normalizeSerial(i.serial)));
      return r;
    },
    'audit.list': async (i) => {
      const r = await open().client.call('auditList', { query: { limit: i.limit, after: i.after, action: i.action } });
      return { items: r.items, nextAfter: r.nextAfter };
    },
    'audit.export': async () => {
      const p = open();
      const csv = await p.client.call('auditExport');
      await p.store.tx(() => audit(p.store, kzIso(core.now()), 'audit.export', null, {}));
      return { fileName: `kense-audit-${kzDate(core.now())}.csv`, csv };
    },

    // ── notifications ──
    'notifications.list': (i) => {
      const all = entities(core, open(), 'notification', zNotification).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
      const unread = all.filter((n) => n.readAt === null);
      const list = i.unreadOnly ? unread : all;
      return { total: list.length, unread: unread.length, items: window(list, i.offset, i.limit) };
    },
    'notifications.markRead': async (i) => {
      const p = open();
      const at = kzIso(core.now());
      await p.store.tx(() => {
        const row = p.store.w.prepare(`SELECT data FROM entities WHERE entity = 'notification' AND id = ?`).get(i.id) as { data: string } | undefined;
        if (!row) throw new KenseError('NOT_FOUND', { entity: 'notification', id: i.id });
        const n = JSON.parse(row.data) as { readAt: string | null };
        if (n.readAt !== null) return;
        p.store.w.prepare(`UPDATE entities SET data = ? WHERE entity = 'notification' AND id = ?`).run(JSON.stringify({ ...n, readAt: at }), i.id);
        new Outbox(p.store).enqueue({ name: 'markNotificationRead', args: { notificationId: i.id }, baseVersion: null, target: null }, at);
      });
      core.events.emit('data.changed', { entities: ['notification'], refs: null });
      afterChange(p);
      return { ok: true as const };
    },

    // ── verify ──
    'verify.file': (i) => verifyFile(core, i),

    // ── support ──
    ...supportHandlers(core),

    // ── sync ──
    'sync.status': () => {
      const p = core.open;
      if (!p) return signedOutStatus();
      return p.engine.status();
    },
    'sync.now': async (i) => {
      const p = core.open;
      if (!p) return signedOutStatus();
      if (i.wait) return p.engine.syncNow();
      p.engine.trigger(0);
      return p.engine.status();
    },
    'sync.problems': () => ({ items: core.open ? problems(core.open) : [] }),
    'sync.resolve': async (i) => {
      const p = open();
      const at = kzIso(core.now());
      const row = await p.store.tx(() => {
        const r = new Outbox(p.store).resolve(i.mutationId, i.resolution);
        if (!r) throw new KenseError('NOT_FOUND', { entity: 'mutation', id: i.mutationId });
        // the overlay goes with the dismissed change: the server's state stands
        if (r.target) rebaseDocument(p.store, r.target.kind, r.target.id);
        audit(p.store, at, `sync.${i.resolution}`, r.target ? `${r.target.kind}:${r.target.id}` : null, { mutationId: i.mutationId, name: r.name, status: r.status });
        return r;
      });
      core.events.emit('data.changed', { entities: ['outbox'], refs: row.target ? [row.target] : null });
      if (i.resolution === 'retry') p.engine.trigger(0);
      return p.engine.status();
    },
    'sync.exportOutbox': () => {
      const p = open();
      const rows = new Outbox(p.store).all().filter((r) => r.status !== 'applied');
      return {
        fileName: `kense-outbox-${kzDate(core.now())}.json`,
        json: JSON.stringify({ format: 'kense-outbox/1', profileId: p.id, exportedAt: kzIso(core.now()), mutations: rows.map((r) => ({ mutationId: r.mutationId, name: r.name, args: r.args, baseVersion: r.baseVersion, target: r.target, createdAt: r.createdAt, status: r.status, error: r.error })) }, null, 2),
      };
    },

    // ── settings ──
    'settings.get': () => core.settings(),
    'settings.update': (i) => core.updateSettings(i),
    'cache.resync': async () => {
      const p = open();
      await startRebuild(p.store);
      return p.engine.syncNow();
    },

    // ── doctor, signer ──
    'doctor.run': () => runDoctor(core),
    'signer.keyFiles': async () => {
      const keys = await probeKeyFiles([...(core.o.keyDirs ?? []).map((d) => ({ path: d, depth: 6 })), ...(await usualKeyPlaces())]);
      const now = core.now().getTime();
      return {
        items: keys.keyFiles.map((k) => ({
          path: k.path,
          certificate: k.certificate
            ? {
                serial: normalizeSerial(k.certificate.serialNumber), commonName: k.certificate.commonName ?? null, iin: k.certificate.iin ?? null, bin: k.certificate.bin ?? null,
                notBefore: kzIso(k.certificate.notBefore), notAfter: kzIso(k.certificate.notAfter), daysLeft: Math.floor((k.certificate.notAfter.getTime() - now) / DAY), test: k.certificate.test,
              }
            : null,
        })),
      };
    },

    // ── app ──
    'app.info': async () => {
      const p = core.open;
      let policy: AppPolicy | null = null;
      let fetchedAt: string | null = null;
      if (p) {
        try {
          policy = await p.client.call('appPolicy');
          fetchedAt = kzIso(core.now());
          await p.store.tx(() => p.store.setMeta('appPolicy', { policy, fetchedAt }));
        } catch {
          const cached = p.store.meta<{ policy: unknown; fetchedAt: string }>('appPolicy');
          const parsed = zAppPolicy.safeParse(cached?.policy);
          if (parsed.success && cached) ({ policy, fetchedAt } = { policy: parsed.data, fetchedAt: cached.fetchedAt });
        }
      }
      return {
        appVersion: core.o.appVersion,
        ipcVersion: IPC_VERSION,
        platform: core.o.platform,
        policy,
        policyFetchedAt: fetchedAt,
        updateRequired: policy ? !versionAtLeast(core.o.appVersion, policy.minimumVersion) : false,
        disabled: policy?.killSwitch.active ? { message: policy.killSwitch.message } : null,
      };
    },
    'app.busy': () => ({ signing: core.signing, pushing: core.open?.engine.pushing ?? false }),
  };
}

function signedOutStatus() {
  return {
    online: false, state: 'signed_out' as const, lastSyncAt: null, lastAttemptAt: null, nextAttemptAt: null, pendingMutations: 0, conflicts: 0, rejected: 0,
    stuck: null, clockSkewSeconds: null, clockWarning: null, lastError: null,
  };
}

export function coreDispatcher(core: Core): Dispatcher {
  return createDispatcher(coreHandlers(core), {
    locale: () => core.locale(),
    onUnexpected: (op, e) => core.o.log?.('operation failed unexpectedly', { op, error: String((e as Error)?.stack ?? e) }),
  });
}
