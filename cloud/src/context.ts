// What every handler works with: the database, configuration, clock, signature checks, and the caller.
import type { Db, StorageKind } from './db/connect';
import type { CloudConfig } from './config';
import type { Clock } from './clock';
import type { CompanyRow, UserRow } from './db/schema';
import type { Viewer } from './rules/access';
import type { SignatureService } from './signatures-api';
import type { RateLimiter } from './auth/rate-limit';
import type { PhantomLockouts } from './auth/lockout';
import type { ImportPreparer, PreparedImport } from './import-types';
import type { TimestampService } from './timestamps/types';
import type { Locale } from '../../contract/errors';

export interface Services {
  db: Db;
  storage: StorageKind;
  config: CloudConfig;
  clock: Clock;
  /** Random id of this database; a cursor from another database means CURSOR_RESET. */
  epoch: string;
  signatures: () => Promise<SignatureService>;
  limiter: RateLimiter;
  /** Wrong-password counts of ИИН without a password account (they lock like accounts). */
  phantomLocks: PhantomLockouts;
  /** Prepares accounting imports off the event loop (a worker thread). */
  imports: ImportPreparer;
  /** The TSA that stamps signatures arriving without a timestamp. */
  timestamps: TimestampService;
}

export interface Principal {
  user: UserRow;
  company: CompanyRow;
  sessionId: string;
  /** Signed in with a password that has since expired: only changing it (and a few reads) is allowed. */
  passwordExpired: boolean;
  deviceName: string;
  /** Address the call came from (for the audit log). */
  ip: string;
  viewer: Viewer;
}

export interface Call<P = unknown, Q = unknown, B = unknown> {
  s: Services;
  principal: Principal;
  params: P;
  query: Q;
  body: B;
  ip: string;
  locale: Locale;
  userAgent: string;
  /** The accounting import as the worker prepared it (only on that route). */
  prepared?: Extract<PreparedImport, { ok: true }>;
  /** The Idempotency-Key header of a create call, when the client sent one. */
  idempotencyKey?: string;
}
