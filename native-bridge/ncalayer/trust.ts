// Who the client trusts on wss://127.0.0.1:13579 (NCALAYER_AND_PKI.md §1): CA certificates given
// explicitly (the НУЦ RSA roots from the app's trust store, or the emulator's own CA), else a
// certificate the user accepted once and pinned by its SHA-256 fingerprint. Verification is never
// switched off: an unknown certificate fails unless a pin matches, and a changed pin is an error.
import tls from 'node:tls';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where accepted fingerprints are kept (e.g. the app settings; see contract/signing SignerSettings.pinnedTls). */
export interface PinStore {
  get(url: string): string | undefined | Promise<string | undefined>;
  set(url: string, fingerprint256: string): void | Promise<void>;
}

/** What the user is shown before pinning a certificate. */
export interface TlsPeerInfo {
  /** SHA-256 of the leaf certificate DER, lower-case hex without separators. */
  fingerprint256: string;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
}

export interface NcaLayerTrust {
  /** CA certificates (PEM text or DER bytes) trusted to issue the NCALayer TLS certificate. */
  ca?: readonly (string | Uint8Array)[];
  pinStore?: PinStore;
  /**
   * Called when the certificate is neither issued by `ca` nor pinned, and nothing is pinned for this URL yet.
   * Show the fingerprint to the user; resolve true to pin it (trust on first use).
   */
  confirmUnknownCertificate?: (peer: TlsPeerInfo) => Promise<boolean>;
}

export type TlsVerdict =
  | { ok: true; by: 'ca' | 'pin'; peer: TlsPeerInfo }
  | { ok: false; why: 'untrusted' | 'pin_changed'; peer: TlsPeerInfo; detail?: string; pinned?: string };

function toPem(ca: string | Uint8Array): string {
  if (typeof ca === 'string') return ca;
  const b64 = Buffer.from(ca).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

function nameText(n: unknown): string {
  if (!n || typeof n !== 'object') return '';
  return Object.entries(n as Record<string, string | string[]>)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

export function peerInfo(cert: tls.PeerCertificate): TlsPeerInfo {
  const fp = cert.raw ? createHash('sha256').update(cert.raw).digest('hex') : (cert.fingerprint256 ?? '').replace(/:/g, '').toLowerCase();
  return { fingerprint256: fp, subject: nameText(cert.subject), issuer: nameText(cert.issuer), validFrom: cert.valid_from, validTo: cert.valid_to };
}

/**
 * A `createConnection` for ws that performs the TLS handshake and decides trust itself.
 * `pinned` is the fingerprint read from the pin store before connecting (the decision must be synchronous).
 * The verdict is reported through `onVerdict` before the socket is used for anything.
 */
export function trustingConnector(trust: NcaLayerTrust, pinned: string | undefined, onVerdict: (v: TlsVerdict) => void) {
  const ca = trust.ca?.length ? trust.ca.map(toPem) : undefined;
  return (options: tls.ConnectionOptions & { host?: string; hostname?: string }): tls.TLSSocket => {
    const host = options.hostname ?? options.host ?? '127.0.0.1';
    const isIp = /^[\d.]+$|:/.test(host);
    const socket = tls.connect({
      host,
      port: options.port,
      ...(isIp ? {} : { servername: host }),
      ...(ca ? { ca } : {}),
      // The chain result is read below and acted on; an untrusted peer is destroyed before any byte of ours is sent after the handshake.
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate(false);
      const peer = peerInfo(cert);
      let verdict: TlsVerdict;
      const identityError = ca && socket.authorized ? tls.checkServerIdentity(host, cert) : undefined;
      if (ca && socket.authorized && !identityError) verdict = { ok: true, by: 'ca', peer };
      else if (pinned && pinned === peer.fingerprint256) verdict = { ok: true, by: 'pin', peer };
      else if (pinned) verdict = { ok: false, why: 'pin_changed', peer, pinned };
      else {
        const detail = identityError?.message ?? (ca ? String(socket.authorizationError ?? 'untrusted') : 'no CA configured');
        verdict = { ok: false, why: 'untrusted', peer, detail };
      }
      onVerdict(verdict);
      if (!verdict.ok) socket.destroy(new Error(`TLS peer not trusted (${verdict.why})`));
    });
    return socket;
  };
}

/** The pin of an address: scheme, host and port only (`wss://127.0.0.1:13579/` and `…13579` are one NCALayer). */
export function pinKey(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return url;
  }
}

/** Pins kept in a small JSON file (used by the CLI; the app keeps them in its settings). */
export class FilePinStore implements PinStore {
  constructor(private readonly file: string) {}

  private read(): Record<string, string> {
    try {
      const v = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      return v && typeof v === 'object' ? (v as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  get(url: string): string | undefined {
    const v = this.read()[url];
    return typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? v : undefined;
  }

  set(url: string, fingerprint256: string): void {
    const all = { ...this.read(), [url]: fingerprint256 };
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(all, null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}

/** In-memory pins (tests, one-shot CLI runs). */
export class MemoryPinStore implements PinStore {
  readonly pins = new Map<string, string>();
  get(url: string): string | undefined {
    return this.pins.get(url);
  }
  set(url: string, fp: string): void {
    this.pins.set(url, fp);
  }
}

/** Where the CLI keeps accepted NCALayer fingerprints (the app keeps them in its settings). */
export function defaultPinFile(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME ?? env.USERPROFILE ?? '.';
  return path.join(home, '.kense', 'ncalayer-pins.json');
}
