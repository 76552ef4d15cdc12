// Starts the reference kense cloud: storage (PGlite or PostgreSQL), migrations, optional seed, HTTP.
import type { FastifyInstance } from 'fastify';
import { KenseError } from '../../contract/errors';
import { defaultConfig, type CloudConfig } from './config';
import { Clock } from './clock';
import { openDatabase, type OpenedDatabase } from './db/connect';
import type { Services } from './context';
import type { SignatureService } from './signatures-api';
import { RateLimiter } from './auth/rate-limit';
import { PhantomLockouts } from './auth/lockout';
import { buildHttp } from './http/app';
import { ensureCatalog } from './seed/catalog';
import { closeSegments, rotateEpoch } from './feed-segments';
import { tickAll } from './domain/billing';
import { dropOrphanImportParts } from './domain/accounting-import';
import { ImportWorker } from './import-worker/pool';
import { createTimestamps } from './timestamps/stamper';
import type { SeedReport } from './seed/report';

export type { SeedReport } from './seed/report';
import { operatorTokenDigest } from './http/operator';
import { DbRevocationStore } from './revocation-store';
import { decideTrust, readTrustFacts, writeTrustRecord, type TrustDecision } from './trust-record';

export type { TrustDecision } from './trust-record';

export type SeedSpec = { kind: 'demo'; counterparties?: number; acts?: number } | { kind: 'bench'; documents: number } | { kind: 'none' };

export interface CloudServer {
  url: string;
  app: FastifyInstance;
  services: Services;
  /** What the seed created (demo users and their password), when a seed ran or already existed. */
  seed: SeedReport | null;
  /** How the trust mode was chosen, when it was taken from the storage's record (`trustFromStorage`). */
  trust: TrustDecision | null;
  /** One scheduler pass now: the monthly billing cycle and time-dependent states of every client. */
  tick(): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions extends Partial<CloudConfig> {
  seed?: SeedSpec;
  /** Do not listen (tests that only need the services). */
  listen?: boolean;
  /** Start a new database epoch first: every cursor issued before answers CURSOR_RESET (after restoring a backup). */
  newEpoch?: boolean;
  /** kense's operator token (at least 32 characters): opens POST /v1/operator/payments. Only its SHA-256 is kept. */
  operatorToken?: string;
  /** How this process is named to a second one refused the same PGlite folder (STORAGE_IN_USE). */
  storageHolder?: string;
  /**
   * Take the trust mode as `kense cloud serve` does (cloud/src/trust-record.ts): `flag` is --trust as given (the
   * `trust` option is then ignored); the mode is recorded in the storage. `configure` adds the settings that follow
   * from the decision (the CRL files, the TSA).
   */
  trustFromStorage?: { flag?: CloudConfig['trust']; configure?: (d: TrustDecision) => Partial<CloudConfig> };
}

export async function startCloud(opts: StartOptions = {}): Promise<CloudServer> {
  const { seed = { kind: 'none' }, listen = true, newEpoch = false, operatorToken, storageHolder, trustFromStorage, ...over } = opts;
  const config = defaultConfig({ ...over, ...(operatorToken !== undefined ? { operatorTokenSha256: operatorTokenDigest(operatorToken) } : {}) });
  const opened: OpenedDatabase = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, holder: storageHolder });
  const clock = new Clock();
  let trust: TrustDecision | null = null;
  if (trustFromStorage) {
    try {
      trust = decideTrust({ flag: trustFromStorage.flag, seedDemo: seed.kind === 'demo' }, await readTrustFacts(opened.db), clock.now());
      if (trust.record) await writeTrustRecord(opened.db, trust.record);
    } catch (e) {
      await opened.close();
      throw e;
    }
    Object.assign(config, { trust: trust.mode }, trustFromStorage.configure?.(trust));
  }
  // This start may follow a restore from a backup: the next write of every company starts a new feed segment.
  await closeSegments(opened.db);
  await dropOrphanImportParts(opened.db, clock.now());
  if (newEpoch) await rotateEpoch(opened.db);
  const epochRow = await opened.db.selectFrom('meta').select('value').where('key', '=', 'epoch').executeTakeFirstOrThrow();
  let signatures: Promise<SignatureService> | undefined;
  let crlWorker: { close(): Promise<void> } | undefined;
  let url = '';
  const services: Services = {
    db: opened.db,
    storage: opened.kind,
    config,
    clock,
    epoch: epochRow.value,
    // Loaded on first use: the PKI layer and the trust store are needed only for certificate work.
    // CRLs are read and checked in a worker thread of their own (crl-worker/), started with the PKI layer.
    signatures: () =>
      (signatures ??= Promise.all([import('./signatures'), import('./crl-worker/pool')]).then(([m, w]) =>
        m.createSignatureService(config, clock, () => services.timestamps.tsaAnchors(), new DbRevocationStore(opened.db), (crlWorker = new w.CrlWorker())),
      )),
    limiter: new RateLimiter(() => clock.now().getTime()),
    phantomLocks: new PhantomLockouts(),
    imports: new ImportWorker(),
    timestamps: createTimestamps({ db: opened.db, clock, config, signatures: () => services.signatures(), url: () => url }),
  };
  try {
    await ensureCatalog(services);
    let report: SeedReport | null = null;
    if (seed.kind === 'demo') report = await (await import('./seed/demo')).seedDemo(services, { counterparties: seed.counterparties, acts: seed.acts });
    if (seed.kind === 'bench') report = await (await import('./seed/bench')).seedBench(services, seed.documents);
    const tick = () => tickAll(services);
    await tick();
    const app = await buildHttp(services);
    if (listen) {
      // The trust stores are made before the first request: checking the shipped roots' signatures (and the curves'
      // first tables) holds this thread for about a second, which the first signature check would otherwise pay
      // while every other request waited. CRL files are read later, on first need, by the CRL worker.
      await services.signatures();
      await app.listen({ port: config.port, host: config.host }).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') throw new KenseError('PORT_UNAVAILABLE', { host: config.host, port: config.port, reason: e.code });
        throw e;
      });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.port;
      url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    }
    // Signatures left pending by a TSA that did not answer before this start are tried again now.
    void services.timestamps.stampPending();
    const timer = config.tickIntervalSec > 0
      ? setInterval(() => tick().catch((e: Error) => console.error('kense cloud: scheduled billing run failed:', e.message)), config.tickIntervalSec * 1000)
      : undefined;
    timer?.unref();
    return {
      url,
      app,
      services,
      seed: report,
      trust,
      tick,
      async close() {
        clearInterval(timer);
        services.timestamps.close();
        await app.close();
        await services.imports.close();
        await crlWorker?.close();
        await opened.close();
      },
    };
  } catch (e) {
    services.timestamps.close();
    await services.imports.close();
    await crlWorker?.close();
    await opened.close();
    throw e;
  }
}
