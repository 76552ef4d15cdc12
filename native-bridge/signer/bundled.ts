// The bundled signer: the `Signer` interface over the user's own .p12 key file, for when NCALayer is
// missing, broken or outdated. The app remembers the file's path, never its password; the password is
// asked through a callback (the app's own dialog) for each batch, and a batch opens the key once.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KenseError, isKenseError } from '../../contract/errors';
import type { SignerFilter, SignerKeySummary } from '../../contract/signing';
import { createCms, openP12, parseCertificate, type KzCertificate, type OpenedP12 } from '../pki';
import { signXml } from '../xml/dsig';
import { filterMismatches, keySummary, refuseUnfit } from './filter';
import type { CmsSignOptions, CmsSignResult, SignOptions, Signer, SignerDescription, XmlSignResult } from './types';

export interface PasswordRequest {
  keyPath: string;
  /** Known when the certificate could be read without the password (a .pem/.cer beside the file) or from an earlier open. */
  certificate?: KzCertificate;
  /** 1 for the first ask. */
  attempt: number;
  /** Attempts left including this one. */
  attemptsLeft: number;
  /** Why we ask again. */
  previous?: 'wrong_password';
}

/** Resolves the password, or null when the user cancels (→ SIGN_CANCELLED). */
export type PasswordCallback = (request: PasswordRequest) => Promise<string | null>;

export interface BundledSignerOptions {
  keyPath: string;
  password: PasswordCallback;
  /** Password attempts per batch. Default 3. */
  maxAttempts?: number;
  /** signingTime written into CMS; default: now. */
  now?: () => Date;
}

/** Certificate files people keep beside the key: NCALayer exports, НУЦ downloads, our test kits. */
function sidecarPaths(keyPath: string): string[] {
  const base = keyPath.replace(/\.p12$/i, '');
  return ['.pem', '.cer', '.crt', '.der'].map((e) => base + e);
}

/** Reads the certificate of a key file without its password, when a matching certificate file sits beside it. */
export async function certificateBeside(keyPath: string): Promise<KzCertificate | undefined> {
  for (const p of sidecarPaths(keyPath)) {
    try {
      return parseCertificate(new Uint8Array(await readFile(p)));
    } catch {
      // absent or unreadable: try the next name
    }
  }
  return undefined;
}

export async function readKeyFile(keyPath: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(keyPath));
  } catch (e) {
    throw new KenseError('SIGNER_KEY_FILE_UNREADABLE', { path: keyPath, reason: (e as NodeJS.ErrnoException).code ?? 'unreadable' });
  }
}

/**
 * Opens the container, asking for the password until it fits or attempts run out.
 *
 * On wiping: a JS string cannot be overwritten in place. The password lives only in this function's
 * scope for the time openP12 runs (which derives its keys into buffers it zeroes), and our references are
 * dropped right after; the engine frees the string at its next collection. That is the most JS allows.
 */
export async function openWithPassword(
  bytes: Uint8Array,
  keyPath: string,
  ask: PasswordCallback,
  opts: { maxAttempts?: number; certificate?: KzCertificate; signal?: AbortSignal } = {},
): Promise<OpenedP12> {
  const max = opts.maxAttempts ?? 3;
  let previous: PasswordRequest['previous'];
  for (let attempt = 1; attempt <= max; attempt++) {
    if (opts.signal?.aborted) throw new KenseError('SIGN_CANCELLED', { by: 'app' });
    let password: string | null = await ask({
      keyPath,
      attempt,
      attemptsLeft: max - attempt + 1,
      ...(opts.certificate ? { certificate: opts.certificate } : {}),
      ...(previous ? { previous } : {}),
    });
    if (password === null) throw new KenseError('SIGN_CANCELLED', { by: 'user' });
    if (opts.signal?.aborted) throw new KenseError('SIGN_CANCELLED', { by: 'app' });
    try {
      return openP12(bytes, password);
    } catch (e) {
      if (!isKenseError(e, 'P12_WRONG_PASSWORD')) throw e;
      // One non-interactive attempt (a password from the environment): the precise error is the better one.
      if (max === 1) throw e;
      previous = 'wrong_password';
    } finally {
      password = null;
    }
  }
  throw new KenseError('SIGNER_PASSWORD_ATTEMPTS_EXHAUSTED', { path: keyPath, attempts: max });
}

export class BundledSigner implements Signer {
  readonly kind = 'p12' as const;
  readonly keyPath: string;
  private certificate: KzCertificate | undefined;

  constructor(private readonly o: BundledSignerOptions) {
    this.keyPath = path.resolve(o.keyPath);
  }

  async describe(): Promise<SignerDescription> {
    return { kind: 'p12', detail: { keyPath: this.keyPath, file: path.basename(this.keyPath) } };
  }

  /** The key, when its certificate is known without a password (beside the file, or from an earlier open). */
  async listKeys(filter?: SignerFilter): Promise<SignerKeySummary[]> {
    const cert = this.certificate ?? (await certificateBeside(this.keyPath));
    if (!cert) return [];
    if (filter && filterMismatches(cert, filter).length > 0) return [];
    return [keySummary(cert, { keyPath: this.keyPath, storage: 'PKCS12' })];
  }

  /** Opens the key once for the whole batch, checks the filter, signs, and destroys the key. */
  private async withKey<T>(opts: SignOptions, use: (opened: OpenedP12) => T): Promise<T> {
    const bytes = await readKeyFile(this.keyPath);
    const known = this.certificate ?? (await certificateBeside(this.keyPath));
    if (known) refuseUnfit(known, opts.filter);
    const opened = await openWithPassword(bytes, this.keyPath, this.o.password, {
      maxAttempts: this.o.maxAttempts,
      certificate: known,
      signal: opts.signal,
    });
    try {
      this.certificate = opened.certificate;
      refuseUnfit(opened.certificate, opts.filter);
      return use(opened);
    } finally {
      opened.key.destroy();
    }
  }

  async signCms(documents: Uint8Array[], options: CmsSignOptions): Promise<CmsSignResult> {
    if (documents.length === 0) throw new KenseError('INVALID_INPUT', { reason: 'no documents' });
    return this.withKey(options, ({ key, certificate }) => {
      const signingTime = this.o.now?.() ?? new Date();
      const signatures = documents.map((data) => createCms({ data, key, certificate, detached: options.detached === true, signingTime }));
      return { signatures, certificate };
    });
  }

  async signXml(documents: string[], options: SignOptions): Promise<XmlSignResult> {
    if (documents.length === 0) throw new KenseError('INVALID_INPUT', { reason: 'no documents' });
    return this.withKey(options, ({ key, certificate }) => ({
      signed: documents.map((xml) => signXml(xml, { key, certificate })),
      certificate,
    }));
  }

  async close(): Promise<void> {
    this.certificate = undefined;
  }
}
