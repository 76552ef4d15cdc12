// The emulator's keys: every .p12 under a folder, offered the way NCALayer offers keys (filtered by the
// request's signerParams / keyType), opened with a password for each request like NCALayer's dialog,
// and used to sign through the bundled signer's code (CMS builder, XMLDSig).
//
// Test keys and `signerParams.chain`: NCALayer offers only keys chaining to the production НУЦ CAs
// unless a request says `chain: []`. The emulator does the same — a test-CA key is offered to a request
// with a chain check only when the emulator runs with `offerTestKeys` (the CLI's --test-keys). Whether a
// key is "test" is read from its issuer (НУЦ test CAs say TEST in their names); the emulator is a
// developer tool and does not build production chains itself. commonUtils has no chain parameter: all
// keys are offered there.
import path from 'node:path';
import { KenseError, isKenseError } from '../../contract/errors';
import { createCms, type KzCertificate, type OpenedP12 } from '../pki';
import { signXml } from '../xml/dsig';
import { certificateBeside, openWithPassword, readKeyFile, type PasswordCallback } from './bundled';
import type { EmulatorBackend, EmulatorKeyCriteria, EmulatorOutcome, EmulatorRequestSummary } from './emulator-server';
import { isTestCertificate } from './filter';
import { findKeyFiles } from './key-files';

export interface KeyringEntry {
  keyPath: string;
  /** Known from a certificate file beside the key, or after it was opened once. */
  certificate?: KzCertificate;
}

export interface KeyChoice {
  summary: EmulatorRequestSummary;
  candidates: readonly KeyringEntry[];
}

export interface EmulatorKeyringOptions {
  keys: KeyringEntry[];
  password: PasswordCallback;
  /** Pick a key (index into candidates) or null to cancel. Default: the first candidate. */
  chooseKey?: (choice: KeyChoice) => Promise<number | null>;
  offerTestKeys?: boolean;
  maxAttempts?: number;
  now?: () => Date;
}

/** Scans `dir` for *.p12 and reads the certificates that sit beside them. */
export async function scanKeyring(dir: string): Promise<KeyringEntry[]> {
  const files = await findKeyFiles(path.resolve(dir), { maxDepth: 10, maxFiles: 1000 });
  const entries: KeyringEntry[] = [];
  for (const keyPath of files) {
    const certificate = await certificateBeside(keyPath);
    entries.push(certificate ? { keyPath, certificate } : { keyPath });
  }
  return entries;
}

/** Does a known certificate fit the request? (Unknown certificates are checked after opening.) */
export function fitsCriteria(cert: KzCertificate, c: EmulatorKeyCriteria, offerTestKeys: boolean): boolean {
  if (!c.ekuOids.every((o) => cert.ekuOids.includes(o))) return false;
  if (c.iin && cert.iin !== c.iin) return false;
  if (c.bin && cert.bin !== c.bin) return false;
  if (c.serialNumber && cert.serialNumber.replace(/^0+/, '').toUpperCase() !== c.serialNumber.replace(/^0+/, '').toUpperCase()) return false;
  if (c.keyType === 'SIGNATURE' && !cert.canSign) return false;
  if (c.keyType === 'AUTHENTICATION' && !cert.canAuthenticate) return false;
  if (c.chainCheck && !offerTestKeys && isTestCertificate(cert)) return false;
  return true;
}

const fail = (code: string, message: string): EmulatorOutcome<never> => ({ ok: false, code, message });

/** What a request asked for, in the words of its parameters (for messages and the terminal). */
export function describeCriteria(c: EmulatorKeyCriteria): string {
  return [
    c.ekuOids.length ? `EKU ${c.ekuOids.join(', ')}` : '',
    c.iin ? `IIN ${c.iin}` : '',
    c.bin ? `BIN ${c.bin}` : '',
    c.serialNumber ? `serial ${c.serialNumber}` : '',
    c.keyType ? `keyType ${c.keyType}` : '',
    c.chainCheck ? 'production chain' : 'any chain (test keys allowed)',
  ]
    .filter(Boolean)
    .join('; ');
}

export class EmulatorKeyring implements EmulatorBackend {
  constructor(private readonly o: EmulatorKeyringOptions) {}

  get entries(): readonly KeyringEntry[] {
    return this.o.keys;
  }

  activeTokens(): string[] {
    return [];
  }

  /** Learns the certificates of keys that have none beside them, with the given password (startup with --password-env). */
  async learnCertificates(password: string): Promise<void> {
    for (const e of this.o.keys) {
      if (e.certificate) continue;
      try {
        const opened = await openWithPassword(await readKeyFile(e.keyPath), e.keyPath, async () => password, { maxAttempts: 1 });
        e.certificate = opened.certificate;
        opened.key.destroy();
      } catch {
        // another password or not a key: it stays unknown and is checked when chosen
      }
    }
  }

  /**
   * Keys that fit, best first: certificates valid now before expired or unknown ones; — a heuristic for
   * the НУЦ test kits, which keep revoked twins of every key — files outside a "revoked" folder first; and
   * keys of the first head or a person with the right to sign before other employees' (NCALayer cannot ask
   * for "head or right to sign", so auto mode picks what such a request is after).
   */
  private candidates(c: EmulatorKeyCriteria): KeyringEntry[] {
    const now = (this.o.now?.() ?? new Date()).getTime();
    const rank = (e: KeyringEntry) =>
      (e.certificate && e.certificate.notBefore.getTime() <= now && now <= e.certificate.notAfter.getTime() ? 0 : 4) +
      (/[\\/]revoked[\\/]/i.test(e.keyPath) ? 2 : 0) +
      (e.certificate?.roles.some((r) => r === 'first_head' || r === 'sign_right') ? 0 : 1);
    return this.o.keys
      .filter((e) => !e.certificate || fitsCriteria(e.certificate, c, this.o.offerTestKeys === true))
      .map((e, i) => ({ e, i, r: rank(e) }))
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map((x) => x.e);
  }

  /** Key choice and password, as NCALayer's dialog does; the key is open only inside `use`. */
  private async withChosenKey<T>(summary: EmulatorRequestSummary, use: (opened: OpenedP12) => T): Promise<EmulatorOutcome<T>> {
    const candidates = this.candidates(summary.criteria);
    if (candidates.length === 0) {
      return summary.module.endsWith('commonUtils') ? fail('500', 'storage.empty') : fail('SIGNING_FAILURE', `No key in the emulator matches signerParams (${describeCriteria(summary.criteria)})`);
    }
    const index = this.o.chooseKey ? await this.o.chooseKey({ summary, candidates }) : 0;
    if (index === null) return { ok: false, cancelled: true };
    const entry = candidates[index];
    if (!entry) return fail('GENERAL_ERROR', 'No such key');
    let opened: OpenedP12;
    try {
      opened = await openWithPassword(await readKeyFile(entry.keyPath), entry.keyPath, this.o.password, {
        maxAttempts: this.o.maxAttempts ?? 3,
        ...(entry.certificate ? { certificate: entry.certificate } : {}),
      });
    } catch (e) {
      if (isKenseError(e, 'SIGN_CANCELLED')) return { ok: false, cancelled: true };
      if (isKenseError(e)) return fail('GENERAL_ERROR', e.code);
      throw e;
    }
    try {
      entry.certificate = opened.certificate;
      if (!fitsCriteria(opened.certificate, summary.criteria, this.o.offerTestKeys === true)) {
        return fail('SIGNING_FAILURE', `The chosen key does not match signerParams (${describeCriteria(summary.criteria)})`);
      }
      return { ok: true, value: use(opened) };
    } catch (e) {
      if (isKenseError(e)) return fail('SIGNING_FAILURE', e.code);
      throw e;
    } finally {
      opened.key.destroy();
    }
  }

  signCms(req: Parameters<EmulatorBackend['signCms']>[0]): ReturnType<EmulatorBackend['signCms']> {
    return this.withChosenKey(req.summary, ({ key, certificate }) => {
      const signingTime = this.o.now?.() ?? new Date();
      const cms = req.docs.map((d) =>
        req.digested
          ? createCms({ digest: d, key, certificate, signingTime })
          : createCms({ data: d, key, certificate, detached: !req.attached, signingTime }),
      );
      return { cms, certificateDer: certificate.der };
    });
  }

  signXml(req: Parameters<EmulatorBackend['signXml']>[0]): ReturnType<EmulatorBackend['signXml']> {
    return this.withChosenKey(req.summary, ({ key, certificate }) => ({
      xml: req.xmls.map((x) => signXml(x, { key, certificate })),
      certificateDer: certificate.der,
    }));
  }

  keyInfo(req: Parameters<EmulatorBackend['keyInfo']>[0]): ReturnType<EmulatorBackend['keyInfo']> {
    return this.withChosenKey(req.summary, ({ certificate: c }) => {
      const info: Record<string, string> = {
        alias: c.subjectKeyId ?? '',
        keyId: c.subjectKeyId ?? '',
        algorithm: c.keyAlgorithm === 'RSA' ? 'RSA' : 'ECGOST34310',
        subjectCn: c.commonName ?? '',
        subjectDn: c.subjectDn,
        issuerCn: c.issuerCommonName ?? '',
        issuerDn: c.issuerDn,
        serialNumber: c.serialNumber.toLowerCase(),
        certNotBefore: String(c.notBefore.getTime()),
        certNotAfter: String(c.notAfter.getTime()),
        authorityKeyIdentifier: c.authorityKeyId ?? '',
        pem: `-----BEGIN CERTIFICATE-----\n${Buffer.from(c.der).toString('base64')}\n-----END CERTIFICATE-----`,
      };
      return info;
    });
  }
}

export function noKeysError(dir: string): KenseError {
  return new KenseError('EMULATOR_NO_KEYS', { dir });
}
