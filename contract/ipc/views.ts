// What the office sees: the shapes core answers with (documents with their local sync state, snapshots with their
// "as of", sync status, session, settings). Server entities are reused from the cloud contract as they are cached.
import { z } from 'zod';
import { zIdentity12 } from '../kz-identifiers';
import { SignerKindSchema } from '../signing';
import {
  zAct, zAppPolicy, zCompany, zDate, zId, zInvoice, zLocale, zReconciliation, zRole, zServiceAct, zSha256Hex, zSignatureInfo, zSubscription, zTariff, zTimestamp,
  zMoneyData, zSalesData, zDebtData,
} from '../cloud';
import { ERRORS, type ErrorCode } from '../errors';

/** Every code of contract/errors. */
export const zErrorCode = z.enum(Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]]);

/** An error as it crosses IPC: the code, and the sentence and action already in the user's language. */
export const zIpcError = z.object({
  code: zErrorCode,
  message: z.string(),
  action: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type IpcErrorPayload = z.infer<typeof zIpcError>;

/** A non-blocking notice (certificate expiring, stale revocation data): an error code used as a warning. */
export const zNotice = zIpcError;

/** The documents a director signs or refuses. */
export const DOCUMENT_KINDS = ['act', 'service_act', 'reconciliation'] as const;
export const zDocumentKind = z.enum(DOCUMENT_KINDS);
export type DocumentKind = z.infer<typeof zDocumentKind>;
export const zDocumentRef = z.object({ kind: zDocumentKind, id: zId });
export type DocumentRef = z.infer<typeof zDocumentRef>;

/**
 * The local overlay on the server's state (DOMAIN.md, "Lifecycle of an act"): a change made here and not yet
 * confirmed, or a change the server answered with conflict/rejected — shown until the user deals with it.
 */
export const LOCAL_STATES = ['synced', 'signed_locally', 'refused_locally', 'sync_conflict', 'sync_rejected'] as const;
export const zLocalState = z.enum(LOCAL_STATES);
export type LocalState = z.infer<typeof zLocalState>;

/** Server states of all document kinds (acts, service acts, reconciliation acts). */
export const DOCUMENT_STATES = [
  'draft', 'sent', 'delivered', 'viewed', 'signed_by_us', 'signed_by_them', 'signed_by_both', 'refused', 'withdrawn', 'issued', 'signed', 'deemed_accepted',
] as const;
export const zDocumentState = z.enum(DOCUMENT_STATES);

/** One row of the documents list (small: the list holds 100 000 of them). Money in tiyn. */
export const zDocumentRow = z.object({
  kind: zDocumentKind,
  id: zId,
  number: z.string(),
  date: zDate,
  direction: z.enum(['incoming', 'outgoing']),
  counterpartyName: z.string(),
  counterpartyIinBin: z.string(),
  amount: z.int(),
  state: zDocumentState,
  localState: zLocalState,
  /** Answer by this day (service acts: 5 working days; reconciliation: 5 calendar days); null when none. */
  deadline: zDate.nullable(),
  awaitingSignature: z.boolean(),
  branchId: zId.nullable(),
});
export type DocumentRow = z.infer<typeof zDocumentRow>;

export const zDocumentFilter = z.object({
  kinds: z.array(zDocumentKind).min(1).optional(),
  direction: z.enum(['incoming', 'outgoing']).optional(),
  states: z.array(zDocumentState).optional(),
  localStates: z.array(zLocalState).optional(),
  awaitingSignature: z.boolean().optional(),
  counterpartyIinBin: zIdentity12.optional(),
  dateFrom: zDate.optional(),
  dateTo: zDate.optional(),
  amountFrom: z.int().min(0).optional(),
  amountTo: z.int().min(0).optional(),
  /** Full-text: number, counterparty name, ИИН/БИН, amount (as digits, with or without spaces/decimals). */
  search: z.string().trim().max(200).optional(),
});
export type DocumentFilter = z.infer<typeof zDocumentFilter>;
export const zDocumentSort = z.object({
  by: z.enum(['date', 'number', 'amount', 'counterparty', 'deadline']).default('date'),
  direction: z.enum(['asc', 'desc']).default('desc'),
});

/** A signature as the office shows it (history, PDF signature block): the cloud's signature info, and two more facts. */
export const zSignatureView = zSignatureInfo.extend({
  /** The trusted timestamp (TSA) the server obtained, when there is one; `signedAt` is the time the signer claimed
   * (the device clock when signed offline). */
  timestampAt: zTimestamp.nullable(),
  /** Made on this device and not yet confirmed by the server. */
  pending: z.boolean(),
});
export type SignatureView = z.infer<typeof zSignatureView>;

export const zHistoryEntry = z.object({
  at: zTimestamp,
  event: z.enum(['created', 'sent', 'signed', 'refused', 'withdrawn', 'deemed_accepted', 'signed_locally', 'refused_locally', 'confirmed', 'conflict', 'rejected', 'timestamped']),
  who: z.string().nullable(),
  text: z.string().nullable(),
});

/** Whether an action is possible now and, if not, why (e.g. TARIFF_BLOCKED with its text). */
export const zAllowed = z.object({ allowed: z.boolean(), reason: zIpcError.nullable() });

/** A change the server answered with conflict or rejected, or one that is stuck: visible until the user acts. */
export const zSyncProblem = z.object({
  mutationId: z.uuid(),
  name: z.string(),
  target: zDocumentRef.nullable(),
  status: z.enum(['conflict', 'rejected', 'stuck']),
  error: zIpcError,
  createdAt: zTimestamp,
  at: zTimestamp,
  attempts: z.int().min(0),
});
export type SyncProblem = z.infer<typeof zSyncProblem>;

export const zDocumentDetail = z.object({
  ref: zDocumentRef,
  /** The cached server entity, with the local overlay already applied to its state where pending. */
  data: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('act'), act: zAct }),
    z.object({ kind: z.literal('service_act'), serviceAct: zServiceAct }),
    z.object({ kind: z.literal('reconciliation'), reconciliation: zReconciliation }),
  ]),
  row: zDocumentRow,
  signatures: z.array(zSignatureView),
  history: z.array(zHistoryEntry),
  problem: zSyncProblem.nullable(),
  canonical: z.object({ format: z.string(), sha256: zSha256Hex, size: z.int().min(0) }),
  sign: zAllowed,
  refuse: zAllowed,
});
export type DocumentDetail = z.infer<typeof zDocumentDetail>;

export const zSignResult = z.object({
  ref: zDocumentRef,
  ok: z.boolean(),
  localState: zLocalState.nullable(),
  error: zIpcError.nullable(),
});

export const zCertificateView = z.object({
  serial: z.string(),
  commonName: z.string().nullable(),
  iin: z.string().nullable(),
  bin: z.string().nullable(),
  notBefore: zTimestamp,
  notAfter: zTimestamp,
  daysLeft: z.int(),
  test: z.boolean(),
});

/** A dashboard snapshot with its "as of" time; stale = older than a day or not refreshed while offline. */
const snapshot = <T extends z.ZodType>(data: T) => z.object({ asOf: zTimestamp, stale: z.boolean(), data }).nullable();
export const zHome = z.object({
  money: snapshot(zMoneyData),
  sales: snapshot(zSalesData),
  receivables: snapshot(zDebtData),
  payables: snapshot(zDebtData),
  awaiting: z.object({ count: z.int().min(0), items: z.array(zDocumentRow) }),
  billing: z.object({ state: zSubscription.shape.state, outgoingAllowed: z.boolean(), unpaidInvoices: z.int().min(0), blockedSince: zDate.nullable() }).nullable(),
  certificates: z.array(zCertificateView.extend({ warning: zNotice.nullable() })),
  unreadNotifications: z.int().min(0),
  lastSyncAt: zTimestamp.nullable(),
});

export const zBillingOverview = z.object({
  subscription: zSubscription.nullable(),
  tariff: zTariff.nullable(),
  pendingTariff: zTariff.nullable(),
  unpaidInvoices: z.array(zInvoice),
  /** What still works while blocked, and what does not (the office shows it). */
  blocked: z.object({ since: zDate.nullable(), branchIds: z.array(zId), allowed: z.array(z.string()), refused: z.array(z.string()) }).nullable(),
});

export const zSyncStatus = z.object({
  online: z.boolean(),
  state: z.enum(['signed_out', 'idle', 'pulling', 'pushing', 'rebuilding', 'offline', 'needs_sign_in']),
  lastSyncAt: zTimestamp.nullable(),
  lastAttemptAt: zTimestamp.nullable(),
  nextAttemptAt: zTimestamp.nullable(),
  pendingMutations: z.int().min(0),
  conflicts: z.int().min(0),
  rejected: z.int().min(0),
  /** The oldest pending change has waited too long (watchdog). */
  stuck: z.object({ since: zTimestamp, attempts: z.int().min(0), lastError: zIpcError.nullable() }).nullable(),
  /** Device clock minus server clock, seconds; null until measured. */
  clockSkewSeconds: z.number().nullable(),
  clockWarning: zNotice.nullable(),
  lastError: zIpcError.nullable(),
});
export type SyncStatus = z.infer<typeof zSyncStatus>;

export const zProfile = z.object({
  id: z.string(),
  cloudUrl: z.string(),
  userId: zId,
  userName: z.string(),
  iin: z.string(),
  companyId: zId,
  companyName: z.string(),
  companyIinBin: z.string(),
  role: zRole,
  lastSyncAt: zTimestamp.nullable(),
  lastOpenedAt: zTimestamp.nullable(),
});
export type Profile = z.infer<typeof zProfile>;

export const zSessionStatus = z.object({
  state: z.enum(['signed_out', 'signed_in', 'needs_sign_in']),
  profile: zProfile.nullable(),
  company: zCompany.nullable(),
  role: zRole.nullable(),
  permissions: z.array(z.string()),
  method: z.enum(['certificate', 'password']).nullable(),
  passwordChangeRequired: z.boolean(),
  passwordExpiresAt: zTimestamp.nullable(),
});
export type SessionStatus = z.infer<typeof zSessionStatus>;

export const zSettings = z.object({
  language: zLocale,
  cloudUrl: z.string().nullable(),
  signer: z.object({ via: SignerKindSchema, p12Path: z.string().nullable(), ncalayerUrl: z.string() }),
  updateChannel: z.enum(['stable', 'beta']),
  desktopNotifications: z.boolean(),
  cache: z.object({ sizeBytes: z.int().min(0), documents: z.int().min(0) }).nullable(),
});
export type Settings = z.infer<typeof zSettings>;

/** One signer of a verified file — the fields of `kense verify --json`. */
export const zVerifiedSigner = z.object({
  valid: z.boolean(),
  status: z.enum(['valid', 'invalid', 'indeterminate']),
  /** The ETSI EN 319 102-1 sub-indication that decided a verdict that is not valid (OUT_OF_BOUNDS_NO_POE, NO_CERTIFICATE_CHAIN_FOUND, HASH_FAILURE…). */
  subIndication: z.string().nullable().optional(),
  reasons: z.array(z.string()),
  signer: z
    .object({
      name: z.string().optional(), iin: z.string().optional(), bin: z.string().optional(), organization: z.string().optional(),
      subjectType: z.string(), roles: z.array(z.string()), serialNumber: z.string(), notBefore: z.string(), notAfter: z.string(),
    })
    .nullable(),
  signingTime: z.string().nullable(),
  timestampTime: z.string().nullable(),
  validationTime: z.string().nullable(),
  problems: z.array(z.string()),
  revocation: z.object({
    status: z.string(),
    source: z.string().nullable(),
    checkedAt: z.string().nullable(),
    /** Where the evidence came from: network (just now), cache (kept from earlier), file, shipped_test_crl, given. */
    origin: z.string().nullable().optional(),
    fetchedAt: z.string().nullable().optional(),
    nextUpdate: z.string().nullable().optional(),
  }),
});
export const zVerifyResult = z.object({
  format: z.enum(['cms', 'xml']),
  status: z.enum(['valid', 'invalid', 'indeterminate']),
  valid: z.boolean(),
  detached: z.boolean(),
  error: z.string().nullable(),
  signers: z.array(zVerifiedSigner),
  /** The revocation data this verdict used: CRLs cached while online and how fresh they were. */
  revocationData: z.object({
    crls: z.array(z.object({ issuer: z.string(), thisUpdate: zTimestamp, nextUpdate: zTimestamp.nullable(), fetchedAt: zTimestamp, fresh: z.boolean() })),
    notice: zNotice.nullable(),
  }),
});
export type VerifyResult = z.infer<typeof zVerifyResult>;

export const zAppInfo = z.object({
  appVersion: z.string(),
  ipcVersion: z.int(),
  platform: z.string(),
  policy: zAppPolicy.nullable(),
  policyFetchedAt: zTimestamp.nullable(),
  /** The cloud says this version is too old to sync (minimumVersion) — the updater should offer the update. */
  updateRequired: z.boolean(),
  /** The cloud's kill switch is on: a message to show; syncing stops. */
  disabled: z.object({ message: z.string().nullable() }).nullable(),
});

export const zDoctorReport = z.object({
  healthy: z.boolean(),
  findings: z.array(z.object({ id: z.string(), severity: z.enum(['ok', 'info', 'warning', 'problem']), message: z.string(), fix: z.string().nullable() })),
  ncalayer: z.object({ url: z.string(), status: z.string(), version: z.string().nullable(), product: z.string().nullable() }),
  keyFiles: z.int().min(0),
});
