// The route table of the cloud API: one entry per endpoint, from which the server registers and validates
// its routes, the OpenAPI document is generated and the typed client is derived.
import { z } from 'zod';
import { zIdParams, zOk, zPageQuery, page, zCertSerial, type Role } from './common';
import {
  zCertLoginRequest, zCertificateRecord, zChallengeResponse, zChangePasswordRequest, zCompromiseRequest, zLoginResponse, zMe,
  zPasswordLoginRequest, zPasswordPolicy, zRefreshRequest, zSession, zTokens, zTotpCodeRequest, zTotpSetupResponse,
} from './auth';
import {
  zBranch, zChangeRoleRequest, zCompany, zCounterparty, zCounterpartyQuery, zCreateBranchRequest, zCreateCounterpartyRequest, zCreateUserRequest, zUser,
} from './company';
import { zChangeTariffRequest, zInvoice, zRefuseRequest, zServiceAct, zSignRequest, zSubscription, zTariff } from './billing';
import { zAct, zActListQuery, zCreateActRequest, zWithdrawRequest } from './acts';
import { zCreateReconciliationRequest, zReconciliation } from './reconciliation';
import { zAccountingImport, zDashboard, zImportResult } from './dashboards';
import { zAppPolicy, zAuditEntry, zAuditQuery, zHealth, zNotification } from './notifications';
import { zChangesQuery, zChangesResponse, zMutationsRequest, zMutationsResponse } from './sync';
import { zTimestampAuthority } from './timestamps';
import { zCreateSupportTicketRequest, zSupportAttachment, zSupportAttachmentParams, zSupportRatingRequest, zSupportReopenRequest, zSupportReplyRequest, zSupportTicket, zSupportTicketQuery } from './support';

export interface Endpoint {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  summary: string;
  tag: string;
  /** false = callable without a token. */
  auth: boolean;
  /** Roles allowed; absent = every signed-in role. Enforced by the server. */
  roles?: readonly Role[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response: z.ZodType;
  status?: 200 | 201;
  contentType?: 'application/json' | 'text/csv';
}

const ALL: readonly Role[] = ['first_manager', 'accountant', 'manager', 'viewer'];
const FM: readonly Role[] = ['first_manager'];
const BILLING: readonly Role[] = ['first_manager', 'accountant'];
const ACTS: readonly Role[] = ['first_manager', 'accountant', 'manager'];
const RECON: readonly Role[] = ['first_manager', 'accountant'];
const DASH: readonly Role[] = ['first_manager', 'accountant', 'viewer'];
const zSerialParams = z.object({ serial: zCertSerial });

export const ENDPOINTS = {
  health: { method: 'GET', path: '/v1/health', summary: 'Liveness and configuration summary', tag: 'app', auth: false, response: zHealth },
  openapi: { method: 'GET', path: '/v1/openapi.json', summary: 'This OpenAPI 3.1 document', tag: 'app', auth: false, response: z.record(z.string(), z.unknown()) },
  appPolicy: { method: 'GET', path: '/v1/app/policy', summary: 'Minimum supported desktop version, update channel, kill switch', tag: 'app', auth: false, response: zAppPolicy },
  timestampAuthority: { method: 'GET', path: '/v1/timestamps/authority', summary: 'The TSA that stamps signatures arriving without a timestamp (CAdES-T), and the certificates to trust for the demo’s test TSA', tag: 'app', auth: false, response: zTimestampAuthority },

  authChallenge: { method: 'POST', path: '/v1/auth/challenge', summary: 'A single-use nonce to sign (valid 5 minutes)', tag: 'auth', auth: false, response: zChallengeResponse },
  authCert: { method: 'POST', path: '/v1/auth/cert', summary: 'Sign in with a CMS over the nonce', tag: 'auth', auth: false, body: zCertLoginRequest, response: zLoginResponse },
  authPassword: { method: 'POST', path: '/v1/auth/password', summary: 'Sign in with ИИН + password (+ TOTP)', tag: 'auth', auth: false, body: zPasswordLoginRequest, response: zLoginResponse },
  authRefresh: { method: 'POST', path: '/v1/auth/refresh', summary: 'Rotate the refresh token; reuse of an old one ends the session', tag: 'auth', auth: false, body: zRefreshRequest, response: zTokens },
  authLogout: { method: 'POST', path: '/v1/auth/logout', summary: 'End the current session', tag: 'auth', auth: true, response: zOk },
  passwordPolicy: { method: 'GET', path: '/v1/auth/password/policy', summary: 'Password rules, periodic change, lockout, and advice (do not reuse the egov.kz password)', tag: 'auth', auth: false, response: zPasswordPolicy },
  passwordChange: { method: 'POST', path: '/v1/auth/password/change', summary: 'Change the password (policy applies)', tag: 'auth', auth: true, body: zChangePasswordRequest, response: zOk },
  totpSetup: { method: 'POST', path: '/v1/auth/totp/setup', summary: 'Start two-factor setup: a new TOTP secret', tag: 'auth', auth: true, response: zTotpSetupResponse },
  totpEnable: { method: 'POST', path: '/v1/auth/totp/enable', summary: 'Confirm two-factor with a code', tag: 'auth', auth: true, body: zTotpCodeRequest, response: zOk },
  totpDisable: { method: 'POST', path: '/v1/auth/totp/disable', summary: 'Turn two-factor off (needs a current code)', tag: 'auth', auth: true, body: zTotpCodeRequest, response: zOk },
  me: { method: 'GET', path: '/v1/me', summary: 'The signed-in user, company, role and permissions', tag: 'auth', auth: true, response: zMe },
  sessionsList: { method: 'GET', path: '/v1/sessions', summary: 'My sessions, one per device', tag: 'auth', auth: true, response: z.object({ items: z.array(zSession) }) },
  sessionEnd: { method: 'DELETE', path: '/v1/sessions/:id', summary: 'End one of my sessions', tag: 'auth', auth: true, params: zIdParams, response: zOk },

  certificatesList: { method: 'GET', path: '/v1/certificates', summary: 'Certificates seen for the company (mine; all for the first manager)', tag: 'security', auth: true, response: z.object({ items: z.array(zCertificateRecord) }) },
  certificateCompromised: { method: 'POST', path: '/v1/certificates/:serial/compromised', summary: 'Report a key compromise: blocks login and signing at once', tag: 'security', auth: true, params: zSerialParams, body: zCompromiseRequest, response: zCertificateRecord },
  certificateRestore: { method: 'POST', path: '/v1/certificates/:serial/restore', summary: 'Restore a certificate reported compromised', tag: 'security', auth: true, roles: FM, params: zSerialParams, response: zCertificateRecord },

  company: { method: 'GET', path: '/v1/company', summary: 'The company', tag: 'company', auth: true, response: zCompany },
  branchesList: { method: 'GET', path: '/v1/branches', summary: 'Branches', tag: 'company', auth: true, response: z.object({ items: z.array(zBranch) }) },
  branchCreate: { method: 'POST', path: '/v1/branches', summary: 'Add a branch', tag: 'company', auth: true, roles: FM, body: zCreateBranchRequest, response: zBranch, status: 201 },
  usersList: { method: 'GET', path: '/v1/users', summary: 'Users of the company', tag: 'company', auth: true, roles: FM, response: z.object({ items: z.array(zUser) }) },
  userCreate: { method: 'POST', path: '/v1/users', summary: 'Add a user with a role', tag: 'company', auth: true, roles: FM, body: zCreateUserRequest, response: zUser, status: 201 },
  userChangeRole: { method: 'POST', path: '/v1/users/:id/role', summary: 'Change a user’s role and branch', tag: 'company', auth: true, roles: FM, params: zIdParams, body: zChangeRoleRequest, response: zUser },
  userUnlock: { method: 'POST', path: '/v1/users/:id/unlock', summary: 'Unlock an account locked by wrong passwords', tag: 'company', auth: true, roles: FM, params: zIdParams, response: zUser },
  userTerminate: { method: 'POST', path: '/v1/users/:id/terminate', summary: 'Revoke a departed user’s access, sessions and certificates (remote wipe on next contact)', tag: 'company', auth: true, roles: FM, params: zIdParams, response: zUser },

  counterpartiesList: { method: 'GET', path: '/v1/counterparties', summary: 'Counterparties (a manager sees their branch)', tag: 'counterparties', auth: true, roles: ACTS, query: zCounterpartyQuery, response: page(zCounterparty) },
  counterpartyGet: { method: 'GET', path: '/v1/counterparties/:id', summary: 'One counterparty', tag: 'counterparties', auth: true, roles: ACTS, params: zIdParams, response: zCounterparty },
  counterpartyCreate: { method: 'POST', path: '/v1/counterparties', summary: 'Add a counterparty (ИИН/БИН, ИИК, БИК validated)', tag: 'counterparties', auth: true, roles: ACTS, body: zCreateCounterpartyRequest, response: zCounterparty, status: 201 },
  counterpartyDelete: { method: 'DELETE', path: '/v1/counterparties/:id', summary: 'Delete a counterparty (a tombstone in the feed)', tag: 'counterparties', auth: true, roles: ACTS, params: zIdParams, response: zOk },

  tariffsList: { method: 'GET', path: '/v1/tariffs', summary: 'The tariff catalog', tag: 'billing', auth: true, response: z.object({ items: z.array(zTariff) }) },
  subscriptionGet: { method: 'GET', path: '/v1/subscription', summary: 'Tariff and blocking state', tag: 'billing', auth: true, response: zSubscription },
  subscriptionChange: { method: 'POST', path: '/v1/subscription/change', summary: 'Change tariff from the 1st of next month', tag: 'billing', auth: true, roles: FM, body: zChangeTariffRequest, response: zSubscription },
  invoicesList: { method: 'GET', path: '/v1/invoices', summary: 'Invoices from kense', tag: 'billing', auth: true, roles: BILLING, query: zPageQuery, response: page(zInvoice) },
  invoiceGet: { method: 'GET', path: '/v1/invoices/:id', summary: 'One invoice with payment details', tag: 'billing', auth: true, roles: BILLING, params: zIdParams, response: zInvoice },
  serviceActsList: { method: 'GET', path: '/v1/service-acts', summary: 'Monthly service acts from kense', tag: 'billing', auth: true, roles: BILLING, query: zPageQuery, response: page(zServiceAct) },
  serviceActGet: { method: 'GET', path: '/v1/service-acts/:id', summary: 'One service act', tag: 'billing', auth: true, roles: BILLING, params: zIdParams, response: zServiceAct },
  serviceActSign: { method: 'POST', path: '/v1/service-acts/:id/sign', summary: 'Sign a service act', tag: 'billing', auth: true, roles: BILLING, params: zIdParams, body: zSignRequest, response: zServiceAct },
  serviceActRefuse: { method: 'POST', path: '/v1/service-acts/:id/refuse', summary: 'Refuse a service act with a reason', tag: 'billing', auth: true, roles: BILLING, params: zIdParams, body: zRefuseRequest, response: zServiceAct },

  actsList: { method: 'GET', path: '/v1/acts', summary: 'EDO acts', tag: 'acts', auth: true, roles: ACTS, query: zActListQuery, response: page(zAct) },
  actGet: { method: 'GET', path: '/v1/acts/:id', summary: 'One act with its canonical bytes', tag: 'acts', auth: true, roles: ACTS, params: zIdParams, response: zAct },
  actCreate: { method: 'POST', path: '/v1/acts', summary: 'Create an outgoing act (draft); the server fixes its canonical bytes', tag: 'acts', auth: true, roles: ACTS, body: zCreateActRequest, response: zAct, status: 201 },
  actSend: { method: 'POST', path: '/v1/acts/:id/send', summary: 'Send a signed outgoing act to the counterparty', tag: 'acts', auth: true, roles: ACTS, params: zIdParams, response: zAct },
  actSign: { method: 'POST', path: '/v1/acts/:id/sign', summary: 'Sign an act (CMS over the canonical bytes)', tag: 'acts', auth: true, roles: ACTS, params: zIdParams, body: zSignRequest, response: zAct },
  actRefuse: { method: 'POST', path: '/v1/acts/:id/refuse', summary: 'Refuse an incoming act with a reason', tag: 'acts', auth: true, roles: ACTS, params: zIdParams, body: zRefuseRequest, response: zAct },
  actWithdraw: { method: 'POST', path: '/v1/acts/:id/withdraw', summary: 'Withdraw an outgoing act', tag: 'acts', auth: true, roles: ACTS, params: zIdParams, body: zWithdrawRequest, response: zAct },
  actDelete: { method: 'DELETE', path: '/v1/acts/:id', summary: 'Delete a draft', tag: 'acts', auth: true, roles: ACTS, params: zIdParams, response: zOk },

  reconciliationsList: { method: 'GET', path: '/v1/reconciliations', summary: 'Reconciliation acts', tag: 'reconciliation', auth: true, roles: RECON, query: zPageQuery, response: page(zReconciliation) },
  reconciliationGet: { method: 'GET', path: '/v1/reconciliations/:id', summary: 'One reconciliation act', tag: 'reconciliation', auth: true, roles: RECON, params: zIdParams, response: zReconciliation },
  reconciliationCreate: { method: 'POST', path: '/v1/reconciliations', summary: 'Build a reconciliation act for a period from acts and payments', tag: 'reconciliation', auth: true, roles: RECON, body: zCreateReconciliationRequest, response: zReconciliation, status: 201 },
  reconciliationSign: { method: 'POST', path: '/v1/reconciliations/:id/sign', summary: 'Sign a reconciliation act', tag: 'reconciliation', auth: true, roles: RECON, params: zIdParams, body: zSignRequest, response: zReconciliation },
  reconciliationRefuse: { method: 'POST', path: '/v1/reconciliations/:id/refuse', summary: 'Refuse a reconciliation act with a reason', tag: 'reconciliation', auth: true, roles: RECON, params: zIdParams, body: zRefuseRequest, response: zReconciliation },

  dashboardsList: { method: 'GET', path: '/v1/dashboards', summary: 'Dashboard snapshots', tag: 'dashboards', auth: true, roles: DASH, response: z.object({ items: z.array(zDashboard) }) },
  accountingImport: { method: 'POST', path: '/v1/imports/accounting', summary: 'Import accounting data (format kense-accounting/1, stands in for the 1C module) and rebuild dashboards', tag: 'dashboards', auth: true, roles: BILLING, body: zAccountingImport, response: zImportResult, status: 201 },

  notificationsList: { method: 'GET', path: '/v1/notifications', summary: 'My notifications', tag: 'notifications', auth: true, query: zPageQuery, response: page(zNotification) },
  notificationRead: { method: 'POST', path: '/v1/notifications/:id/read', summary: 'Mark a notification read', tag: 'notifications', auth: true, params: zIdParams, response: zNotification },

  auditList: { method: 'GET', path: '/v1/audit', summary: 'Audit log of the company', tag: 'security', auth: true, roles: FM, query: zAuditQuery, response: page(zAuditEntry) },
  auditExport: { method: 'GET', path: '/v1/audit/export', summary: 'Audit log as CSV', tag: 'security', auth: true, roles: FM, response: z.string(), contentType: 'text/csv' },

  supportTicketsList: { method: 'GET', path: '/v1/support/tickets', summary: 'My support requests (the first manager: the company’s)', tag: 'support', auth: true, query: zSupportTicketQuery, response: page(zSupportTicket) },
  supportTicketGet: { method: 'GET', path: '/v1/support/tickets/:id', summary: 'One support request with its replies', tag: 'support', auth: true, params: zIdParams, response: zSupportTicket },
  supportTicketCreate: { method: 'POST', path: '/v1/support/tickets', summary: 'Ask kense support: priority (SLA), description, screenshot, doctor report and logs', tag: 'support', auth: true, body: zCreateSupportTicketRequest, response: zSupportTicket, status: 201 },
  supportTicketReply: { method: 'POST', path: '/v1/support/tickets/:id/replies', summary: 'Write to kense support in a request', tag: 'support', auth: true, params: zIdParams, body: zSupportReplyRequest, response: zSupportTicket },
  supportTicketReopen: { method: 'POST', path: '/v1/support/tickets/:id/reopen', summary: 'Reopen a resolved or closed request', tag: 'support', auth: true, params: zIdParams, body: zSupportReopenRequest, response: zSupportTicket },
  supportTicketRate: { method: 'POST', path: '/v1/support/tickets/:id/rating', summary: 'Rate the help (1–5) once resolved; closes the request', tag: 'support', auth: true, params: zIdParams, body: zSupportRatingRequest, response: zSupportTicket },
  supportAttachmentGet: { method: 'GET', path: '/v1/support/tickets/:id/attachments/:attachmentId', summary: 'A screenshot or attachment of a request', tag: 'support', auth: true, params: zSupportAttachmentParams, response: zSupportAttachment },

  syncChanges: { method: 'GET', path: '/v1/sync/changes', summary: 'Ordered, role-scoped changes after a cursor', tag: 'sync', auth: true, roles: ALL, query: zChangesQuery, response: zChangesResponse },
  syncMutations: { method: 'POST', path: '/v1/sync/mutations', summary: 'Apply mutations idempotently by mutationId', tag: 'sync', auth: true, roles: ALL, body: zMutationsRequest, response: zMutationsResponse },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof ENDPOINTS;
type E = typeof ENDPOINTS;
type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;
type InferIn<T> = T extends z.ZodType ? z.input<T> : undefined;
export type ResponseOf<N extends EndpointName> = z.infer<E[N]['response']>;
export type BodyOf<N extends EndpointName> = E[N] extends { body: z.ZodType } ? Infer<E[N]['body']> : undefined;
export type BodyInputOf<N extends EndpointName> = E[N] extends { body: z.ZodType } ? InferIn<E[N]['body']> : undefined;
export type ParamsOf<N extends EndpointName> = E[N] extends { params: z.ZodObject } ? Infer<E[N]['params']> : undefined;
export type QueryOf<N extends EndpointName> = E[N] extends { query: z.ZodObject } ? Infer<E[N]['query']> : undefined;
export type QueryInputOf<N extends EndpointName> = E[N] extends { query: z.ZodObject } ? InferIn<E[N]['query']> : undefined;
