// The IPC contract (renderer ⇄ core): every operation `name → {input, output}` as zod schemas. One table; the
// Electron transport (preload + main relay), the headless host's WebSocket transport, the typed client and the
// dispatcher are all derived from it. Names are `area.verb`; see docs/IPC.md for how to add one.
import { z } from 'zod';
import { SignerKindSchema } from '../signing';
import {
  zAuditEntry, zBranch, zCertSerial, zCertificateRecord, zCounterparty, zCreateUserRequest, zDate, zId, zInvoice, zLocale, zNotification,
  zPasswordPolicy, zRole, zSession, zTariff, zTimestamp, zUser, zSubscription,
  zCreateSupportTicketRequest, zSupportRatingRequest, zSupportReopenRequest, zSupportReplyRequest, zSupportTicket,
} from '../cloud';
import {
  zAppInfo, zBillingOverview, zCertificateView, zDocumentDetail, zDocumentFilter, zDocumentRef, zDocumentRow, zDocumentSort, zDoctorReport,
  zHome, zNotice, zProfile, zSessionStatus, zSettings, zSignResult, zSyncProblem, zSyncStatus, zVerifyResult,
} from './views';

export interface OperationSpec {
  summary: string;
  input: z.ZodType;
  output: z.ZodType;
  /**
   * `core` (default): answered by core. `platform`: answered by the process that owns the window — Electron main
   * (native dialogs, updater) or the headless host — and never relayed to core.
   */
  handledBy?: 'core' | 'platform';
  /** Needs the cloud: answers OFFLINE when it cannot be reached (everything else works from the cache). */
  online?: boolean;
}

const none = z.object({});
const ok = z.object({ ok: z.literal(true) });
const window = { offset: z.int().min(0).max(10_000_000).default(0), limit: z.int().min(1).max(500).default(100) };
/** A .p12 password typed by the user for this one call; core never stores it. */
const zOneTimePassword = z.string().min(1).max(200);
/** Renderer-chosen id of a long call, so signing.cancel and signing.progress can name it. */
const zRequestId = z.string().min(1).max(64);
const zSignVia = z.object({
  via: SignerKindSchema,
  /** Key file for via = p12 (from signer.chooseKeyFile or settings). */
  p12Path: z.string().min(1).max(4096).optional(),
  password: zOneTimePassword.optional(),
  requestId: zRequestId.optional(),
});
/** The user's consent to what core attaches to a support request. */
const zSupportConsent = z.object({ attachDoctorReport: z.boolean().default(false), attachLogs: z.boolean().default(false) });
const zSupportAttachmentText = z.object({ kind: z.enum(['doctor_report', 'logs']), name: z.string(), text: z.string() });
const zCloudUrl = z.url({ protocol: /^https?$/ }).max(500);

export const OPERATIONS = {
  // ── session ──────────────────────────────────────────────────────────────────────────────────
  'session.status': { summary: 'Who is signed in, to which company, with which rights', input: none, output: zSessionStatus },
  'session.profiles': { summary: 'Profiles (user × company) cached on this device', input: none, output: z.object({ items: z.array(zProfile) }) },
  'session.signInWithCertificate': {
    summary: 'Sign in with the ЭЦП: NCALayer, or a key file through the bundled signer (password for this call only)',
    input: zSignVia.extend({ cloudUrl: zCloudUrl.optional(), companyId: zId.optional() }),
    output: zSessionStatus,
    online: true,
  },
  'session.signInWithPassword': {
    summary: 'Sign in with ИИН + password (+ TOTP code)',
    input: z.object({ cloudUrl: zCloudUrl.optional(), iin: z.string().regex(/^\d{12}$/), password: z.string().min(1).max(200), totp: z.string().regex(/^\d{6}$/).optional(), companyId: zId.optional() }),
    output: zSessionStatus,
    online: true,
  },
  'session.openProfile': { summary: 'Open a cached profile without the network (offline start); sync resumes when online', input: z.object({ profileId: z.string().min(1) }), output: zSessionStatus },
  'session.signOut': {
    summary: 'Sign out; forget=true also deletes this profile’s data from the device (refused with OUTBOX_NOT_EMPTY unless discardUnsent)',
    input: z.object({ forget: z.boolean().default(false), discardUnsent: z.boolean().default(false) }),
    output: zSessionStatus,
  },

  // ── security (own account) ───────────────────────────────────────────────────────────────────
  'security.passwordPolicy': { summary: 'Password rules and advice (do not reuse the egov.kz password)', input: z.object({ cloudUrl: zCloudUrl.optional() }), output: zPasswordPolicy, online: true },
  'security.changePassword': { summary: 'Change my password', input: z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) }), output: ok, online: true },
  'security.totpSetup': { summary: 'Start two-factor setup: a new TOTP secret', input: none, output: z.object({ secret: z.string(), otpauthUri: z.string() }), online: true },
  'security.totpEnable': { summary: 'Confirm two-factor with a code', input: z.object({ code: z.string().regex(/^\d{6}$/) }), output: ok, online: true },
  'security.totpDisable': { summary: 'Turn two-factor off (needs a current code)', input: z.object({ code: z.string().regex(/^\d{6}$/) }), output: ok, online: true },

  // ── home ─────────────────────────────────────────────────────────────────────────────────────
  'home.get': { summary: 'Dashboards with "as of"/stale, documents awaiting signature, tariff state, certificate expiry', input: none, output: zHome },

  // ── documents (acts, service acts, reconciliation acts) ─────────────────────────────────────
  'documents.count': { summary: 'How many documents match a filter (for the virtualized list)', input: z.object({ filter: zDocumentFilter.default({}) }), output: z.object({ total: z.int().min(0) }) },
  'documents.list': {
    summary: 'A window of matching documents by offset (a virtualized list asks for the rows it shows)',
    input: z.object({ filter: zDocumentFilter.default({}), sort: zDocumentSort.default({ by: 'date', direction: 'desc' }), ...window }),
    output: z.object({ offset: z.int().min(0), items: z.array(zDocumentRow) }),
  },
  'documents.get': { summary: 'One document: Р-1 / reconciliation halves, signatures, history, local state, what is allowed', input: zDocumentRef, output: zDocumentDetail },
  'documents.sign': {
    summary: 'Sign one or many documents in one batch (one key choice, one password); stored and queued even offline',
    input: zSignVia.extend({ items: z.array(zDocumentRef).min(1).max(500) }),
    output: z.object({
      results: z.array(zSignResult),
      signer: zCertificateView.nullable(),
      warnings: z.array(zNotice),
    }),
  },
  'documents.refuse': { summary: 'Refuse with a reason; stored and queued even offline', input: zDocumentRef.extend({ reason: z.string().trim().min(3).max(2000) }), output: zSignResult },
  'documents.exportData': {
    summary: 'Everything the PDF needs: the document, signature blocks (signer, ИИН/БИН, serial, time, timestamp), QR text',
    input: zDocumentRef,
    output: z.object({ detail: zDocumentDetail, qrText: z.string(), generatedAt: zTimestamp }),
  },
  'signing.cancel': { summary: 'Stop waiting for the signer (NCALayer dialog) of a running documents.sign / sign-in', input: z.object({ requestId: zRequestId }), output: z.object({ cancelled: z.boolean() }) },

  // ── counterparties, billing, reconciliation ─────────────────────────────────────────────────
  'counterparties.list': {
    summary: 'Cached counterparties (name/ИИН/БИН search)',
    input: z.object({ search: z.string().trim().max(200).optional(), ...window }),
    output: z.object({ total: z.int().min(0), items: z.array(zCounterparty) }),
  },
  'billing.get': { summary: 'Subscription, current and pending tariff, unpaid invoices, what a block allows', input: none, output: zBillingOverview },
  'tariffs.list': { summary: 'The tariff catalog', input: none, output: z.object({ items: z.array(zTariff), currentId: zId.nullable(), pendingId: zId.nullable() }) },
  'tariffs.change': { summary: 'Change tariff (takes effect on the 1st of next month)', input: z.object({ tariffId: zId }), output: z.object({ subscription: zSubscription, effectiveFrom: zDate }), online: true },
  'invoices.list': {
    summary: 'Invoices from kense with payment details (ИИК, БИК, КБе, КНП)',
    input: z.object({ status: z.enum(['unpaid', 'overdue', 'paid']).optional(), ...window }),
    output: z.object({ total: z.int().min(0), items: z.array(zInvoice) }),
  },
  'invoices.get': { summary: 'One invoice', input: z.object({ id: zId }), output: zInvoice },
  'reconciliations.create': { summary: 'Ask for a reconciliation act with a counterparty for a period', input: z.object({ counterpartyId: zId, periodFrom: zDate, periodTo: zDate }), output: zDocumentRef, online: true },

  // ── company: users, devices, certificates, audit ────────────────────────────────────────────
  'users.list': { summary: 'Users and roles (first manager)', input: none, output: z.object({ items: z.array(zUser), branches: z.array(zBranch) }) },
  'users.create': { summary: 'Add a user with a role', input: zCreateUserRequest, output: zUser, online: true },
  'users.changeRole': { summary: 'Change a user’s role/branch (queued; works offline)', input: z.object({ userId: zId, role: zRole.exclude(['first_manager']), branchId: zId.nullable() }), output: z.object({ queued: z.literal(true) }) },
  'users.unlock': { summary: 'Unlock an account locked by wrong passwords', input: z.object({ userId: zId }), output: zUser, online: true },
  'users.terminate': { summary: 'Revoke a departed user’s access, sessions and certificates', input: z.object({ userId: zId }), output: zUser, online: true },
  'sessions.list': { summary: 'My sessions, one per device', input: none, output: z.object({ items: z.array(zSession) }), online: true },
  'sessions.end': { summary: 'End one of my sessions (sign a lost device out)', input: z.object({ id: zId }), output: ok, online: true },
  'certificates.list': { summary: 'Certificates seen for the company (mine; all for the first manager)', input: none, output: z.object({ items: z.array(zCertificateRecord) }), online: true },
  'certificates.reportCompromise': {
    summary: 'Report a key compromised: refused for signing here at once, sent to the server (queued when offline)',
    input: z.object({ serial: zCertSerial, reason: z.string().max(500).optional() }),
    output: z.object({ queued: z.literal(true) }),
  },
  'certificates.restore': { summary: 'Restore a certificate reported compromised (first manager)', input: z.object({ serial: zCertSerial }), output: zCertificateRecord, online: true },
  'audit.list': {
    summary: 'The company audit log, newest first (first manager)',
    input: z.object({ after: z.string().max(20).optional(), limit: z.int().min(1).max(500).default(100), action: z.string().max(60).optional() }),
    output: z.object({ items: z.array(zAuditEntry), nextAfter: z.string().nullable() }),
    online: true,
  },
  'audit.export': { summary: 'The audit log as CSV (save it with files.save)', input: none, output: z.object({ fileName: z.string(), csv: z.string() }), online: true },

  // ── notifications ───────────────────────────────────────────────────────────────────────────
  'notifications.list': {
    summary: 'My notifications, newest first',
    input: z.object({ unreadOnly: z.boolean().default(false), ...window }),
    output: z.object({ total: z.int().min(0), unread: z.int().min(0), items: z.array(zNotification) }),
  },
  'notifications.markRead': { summary: 'Mark a notification read (queued)', input: z.object({ id: zId }), output: ok },

  // ── verification of a dropped file ─────────────────────────────────────────────────────────
  'verify.file': {
    summary: 'Verify a CMS or signed XML file (the verdict of kense verify), offline with cached CRLs',
    input: z.object({ fileName: z.string().max(500), contentBase64: z.base64().max(64 * 1024 * 1024), dataBase64: z.base64().max(64 * 1024 * 1024).optional() }),
    output: zVerifyResult,
  },

  // ── sync ────────────────────────────────────────────────────────────────────────────────────
  'sync.status': { summary: 'Online, last sync, pending changes, conflicts, rejected, stuck queue, clock skew', input: none, output: zSyncStatus },
  'sync.now': { summary: 'Sync now (pull and push); with wait, answers when the round ends', input: z.object({ wait: z.boolean().default(false) }), output: zSyncStatus },
  'sync.problems': { summary: 'Changes the server answered with conflict/rejected, and stuck ones, with the reason', input: none, output: z.object({ items: z.array(zSyncProblem) }) },
  'sync.resolve': {
    summary: 'Deal with a problem: dismiss (the server’s state stands; the local change is dropped by the user) or retry (stuck only)',
    input: z.object({ mutationId: z.uuid(), resolution: z.enum(['dismiss', 'retry']) }),
    output: zSyncStatus,
  },
  'sync.exportOutbox': { summary: 'Unsent changes as a readable JSON file (support, recovery)', input: none, output: z.object({ fileName: z.string(), json: z.string() }) },

  // ── support (requests to kense) ─────────────────────────────────────────────────────────────
  'support.list': { summary: 'My support requests from the cache (the first manager: the company’s), newest first', input: none, output: z.object({ items: z.array(zSupportTicket) }) },
  'support.get': { summary: 'One support request with its replies, from the cache', input: z.object({ id: zId }), output: zSupportTicket },
  'support.preview': {
    summary: 'What a request would carry besides the typed text: the doctor report and recent log lines, secrets removed',
    input: zSupportConsent,
    output: z.object({ attachments: z.array(zSupportAttachmentText) }),
  },
  'support.create': {
    summary: 'Ask kense support; core attaches the doctor report and recent logs (secrets removed) only with consent; clientId made once per form so a retry never makes two',
    input: zCreateSupportTicketRequest.pick({ priority: true, subject: true, description: true, screenshot: true }).extend({ clientId: z.uuid(), ...zSupportConsent.shape }),
    output: zSupportTicket,
    online: true,
  },
  'support.reply': { summary: 'Write to kense support in an open request', input: zSupportReplyRequest.extend({ id: zId }), output: zSupportTicket, online: true },
  'support.reopen': { summary: 'Reopen a resolved or closed request with a reason (the SLA clock restarts)', input: zSupportReopenRequest.extend({ id: zId }), output: zSupportTicket, online: true },
  'support.rate': { summary: 'Rate the help 1–5 once resolved (closes the request)', input: zSupportRatingRequest.extend({ id: zId }), output: zSupportTicket, online: true },

  // ── settings, cache ─────────────────────────────────────────────────────────────────────────
  'settings.get': { summary: 'Language, cloud, signer, update channel, cache size', input: none, output: zSettings },
  'settings.update': {
    summary: 'Change settings (audited)',
    input: z.object({
      language: zLocale.optional(),
      cloudUrl: zCloudUrl.optional(),
      signer: z.object({ via: SignerKindSchema.optional(), p12Path: z.string().min(1).max(4096).nullable().optional(), ncalayerUrl: z.url({ protocol: /^wss$/ }).optional() }).optional(),
      updateChannel: z.enum(['stable', 'beta']).optional(),
      desktopNotifications: z.boolean().optional(),
    }),
    output: zSettings,
  },
  'cache.resync': { summary: 'Download everything again (the unsent changes are kept and re-applied)', input: none, output: zSyncStatus },

  // ── signer, doctor ──────────────────────────────────────────────────────────────────────────
  'doctor.run': { summary: 'Can this computer sign? NCALayer state, key files, clock — with advice', input: none, output: zDoctorReport },
  'signer.keyFiles': {
    summary: 'Key files (.p12) found in the usual places, with their certificate when readable without the password',
    input: none,
    output: z.object({ items: z.array(z.object({ path: z.string(), certificate: zCertificateView.nullable() })) }),
  },
  'signer.chooseKeyFile': {
    summary: 'Let the user pick a key file: a native dialog in the desktop app, the configured folder in the headless host',
    input: z.object({ defaultPath: z.string().max(4096).optional() }),
    output: z.object({ path: z.string().nullable() }),
    handledBy: 'platform',
  },

  // ── app ─────────────────────────────────────────────────────────────────────────────────────
  'app.info': { summary: 'Versions and the cloud’s app policy (minimum version, kill switch) for the updater and About', input: none, output: zAppInfo },
  'app.busy': { summary: 'Whether a signing or a push is in flight (the updater never installs then; quit waits briefly)', input: none, output: z.object({ signing: z.boolean(), pushing: z.boolean() }) },
  'files.save': {
    summary: 'Save bytes the user asked for (PDF, CSV, outbox): a save dialog in the desktop app, a download in the browser',
    input: z.object({ suggestedName: z.string().min(1).max(255), mime: z.string().max(100), contentBase64: z.base64() }),
    output: z.object({ path: z.string().nullable() }),
    handledBy: 'platform',
  },
} as const satisfies Record<string, OperationSpec>;

export type Operations = typeof OPERATIONS;
export type OperationName = keyof Operations;
/** What a caller passes (defaults may be left out). */
export type OperationInput<N extends OperationName> = z.input<Operations[N]['input']>;
/** What a handler receives (parsed, defaults filled in). */
export type OperationArgs<N extends OperationName> = z.output<Operations[N]['input']>;
export type OperationOutput<N extends OperationName> = z.output<Operations[N]['output']>;

export type PlatformOperationName = { [N in OperationName]: Operations[N] extends { handledBy: 'platform' } ? N : never }[OperationName];
export type CoreOperationName = Exclude<OperationName, PlatformOperationName>;

export const OPERATION_NAMES = Object.keys(OPERATIONS) as OperationName[];
export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(OPERATIONS, name);
}
export function isPlatformOperation(name: OperationName): name is PlatformOperationName {
  return (OPERATIONS[name] as OperationSpec).handledBy === 'platform';
}
export const PLATFORM_OPERATIONS = OPERATION_NAMES.filter(isPlatformOperation);
export const CORE_OPERATIONS = OPERATION_NAMES.filter((n): n is CoreOperationName => !isPlatformOperation(n));

