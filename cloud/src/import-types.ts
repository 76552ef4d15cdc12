// The accounting import as the import worker hands it to the server (a leaf module: types only).
import type { ErrorCode, Locale } from '../../contract/errors';

export interface ImportPart {
  kind: string;
  rows: number;
  /** The rows as UTF-8 JSON: bytes cross from the worker without a copy and stay off the server's JS heap. */
  data: Uint8Array;
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

/**
 * The request body as it arrives: calls `onChunk` with each chunk (copy what must outlive the call) and resolves
 * at the end, or rejects (too large, cut short) — http/body-reader.ts's pumpBody over the request.
 */
export type BodyPump = (onChunk: (chunk: Uint8Array) => void) => Promise<unknown>;

/** Prepares accounting imports off the event loop (import-worker/pool.ts). */
export interface ImportPreparer {
  /** The body goes to the preparer chunk by chunk: the server's thread never holds it whole. */
  prepare(body: BodyPump, locale: Locale): Promise<PreparedImport>;
  close(): Promise<void>;
}
