// The accounting import as the import worker hands it to the server (a leaf module: types only).
import type { ErrorCode, Locale } from '../../contract/errors';

export interface ImportPart {
  kind: string;
  rows: number;
  data: string;
}

export interface ImportHeader {
  format: string;
  asOf: string;
  source: { system: string; base?: string };
  rows: Record<string, number>;
}

export type PreparedImport =
  | {
      ok: true;
      importId: string | undefined;
      asOf: string;
      source: string;
      header: ImportHeader;
      snapshots: { kind: 'money' | 'sales' | 'receivables' | 'payables'; data: unknown }[];
      parts: ImportPart[];
      /** Digest of {route, body} as the idempotency record keeps it (jsonDigest). */
      digest: string;
    }
  | { ok: false; code: ErrorCode; details?: Record<string, unknown> };

/** Prepares accounting imports off the event loop (import-worker/pool.ts). */
export interface ImportPreparer {
  prepare(bytes: Uint8Array, locale: Locale): Promise<PreparedImport>;
  close(): Promise<void>;
}
