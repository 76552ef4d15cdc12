// Configuration of the reference server; `kense cloud serve` and tests fill it.
export type TrustMode = 'production' | 'test';
export type RevocationMode = 'none' | 'crl' | 'ocsp' | 'crl-or-ocsp';

export interface CloudConfig {
  /** PGlite data folder (default storage); ignored when databaseUrl is set. */
  dataDir?: string;
  /** PostgreSQL connection string (DATABASE_URL). */
  databaseUrl?: string;
  host: string;
  port: number;
  trust: TrustMode;
  /**
   * How certificate revocation is checked (default crl-or-ocsp): by the CRL files below (the demo loads the test
   * CRL) and by what the certificates name — their CRLs fetched and kept in the database, OCSP asked when no current
   * CRL is at hand (see revocationFetch). No evidence at all: the signature is refused (CERT_REVOCATION_UNKNOWN).
   * 'none' checks nothing.
   */
  revocation: RevocationMode;
  crlFiles: string[];
  /**
   * Fetching what certificates name: `online` false uses only the files and what was fetched before; the limits
   * bound every fetch (a request waits at most about `timeoutMs` for it); `resolveUrl` maps a URL a certificate
   * names to where it is really fetched (a mirror of НУЦ's CRL host; tests: a loopback server).
   */
  revocationFetch: { online: boolean; timeoutMs: number; idleTimeoutMs: number; resolveUrl?: (url: string) => string };
  accessTokenTtlSec: number;
  refreshTokenTtlSec: number;
  challengeTtlSec: number;
  lockoutThreshold: number;
  lockoutCooldownSec: number;
  passwordMaxAgeDays: number;
  rateLimit: { perIpPerMinute: number; perIinPerMinute: number };
  /**
   * How often the scheduler runs the monthly billing cycle and the time-dependent states (overdue → blocked,
   * deemed acceptance) for every client, in seconds; 0 = only at start. Pulls and billing reads also run them.
   */
  tickIntervalSec: number;
  /** Validate every response against the contract before sending (tests turn it on). */
  validateResponses: boolean;
  appPolicy: { minimumVersion: string; latestVersion: string; updateChannel: 'stable' | 'beta'; killSwitch: { active: boolean; message: string | null } };
  log: boolean;
  /**
   * SHA-256 (hex) of kense's operator token (`kense cloud serve --operator-token-env VAR`); the operator route
   * (POST /v1/operator/payments) exists only when it is set. The token itself is never kept.
   */
  operatorTokenSha256?: string;
  /**
   * The TSA that stamps signatures arriving without a timestamp (CAdES-T): none; builtin — the server's own test TSA
   * (demo and tests only); rfc3161 — a TSA over HTTP at `url` (the НУЦ РК service). `retrySec`: the pause before
   * the first retry of a signature the TSA did not stamp (doubling, at most an hour).
   */
  tsa: {
    mode: 'none' | 'builtin' | 'rfc3161';
    url?: string;
    timeoutMs: number;
    retrySec: number;
    /** Roots (DER) a configured TSA chains to, besides the НУЦ РК ones (a private or test TSA). */
    roots?: Uint8Array[];
  };
}

export function defaultConfig(over: Partial<CloudConfig> = {}): CloudConfig {
  return {
    host: '127.0.0.1',
    port: 8787,
    trust: 'production',
    revocation: 'crl-or-ocsp',
    crlFiles: [],
    revocationFetch: { online: true, timeoutMs: 15_000, idleTimeoutMs: 5_000 },
    accessTokenTtlSec: 600,
    refreshTokenTtlSec: 30 * 24 * 3600,
    challengeTtlSec: 300,
    lockoutThreshold: 5,
    lockoutCooldownSec: 15 * 60,
    passwordMaxAgeDays: 90,
    rateLimit: { perIpPerMinute: 60, perIinPerMinute: 10 },
    tickIntervalSec: 600,
    validateResponses: false,
    appPolicy: { minimumVersion: '0.1.0', latestVersion: '0.1.0', updateChannel: 'stable', killSwitch: { active: false, message: null } },
    log: false,
    tsa: { mode: 'none', timeoutMs: 10_000, retrySec: 30 },
    ...over,
  };
}
