// Revocation that stays current: fetches the CRLs a certificate names (CRL distribution points, and
// freshestCRL deltas), and OCSP answers from the responder it names when the policy asks, keeps them in
// a RevocationStore with their period, refreshes them before nextUpdate passes, and when a fetch fails
// keeps using the last good copy — saying how old it is. Everything read back (network or store) is
// parsed and checked against the issuer before it is used; nothing is fetched from a URL the
// certificate does not name, over any scheme but http(s), or through a redirect to another scheme.
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { type Crl, parseCrl } from './crl';
import { buildOcspRequest, parseOcspResponse, verifyOcspResponse, type OcspResponse } from './ocsp';
import { type RevocationMode, type Sourced, crlIssuedBy } from './revocation';
import type { RevocationCacheEntry, RevocationStore } from './revocation-store';
import type { KzCertificate } from './types';

export interface FetchLimits {
  /** Whole request, connection to last byte. */
  timeoutMs: number;
  /** Silence on the socket. */
  idleTimeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  timeoutMs: 60_000,
  idleTimeoutMs: 10_000,
  // НУЦ's full GOST CRL is ~20 MB and grows: room for three times that.
  maxBytes: 64 * 1024 * 1024,
  maxRedirects: 3,
};

export class FetchFailure extends Error {
  constructor(
    readonly url: string,
    message: string,
  ) {
    super(message);
    this.name = 'FetchFailure';
  }
}

/**
 * GET (or POST, for OCSP) over http(s) with limits. Redirects are followed only for GET, only to the
 * same scheme, at most `maxRedirects` times. Anything but 200 is a failure.
 */
export function fetchBytes(url: string, limits: FetchLimits = DEFAULT_FETCH_LIMITS, post?: { body: Uint8Array; contentType: string }): Promise<Uint8Array> {
  return fetchOnce(url, limits, post, 0);
}

function fetchOnce(url: string, limits: FetchLimits, post: { body: Uint8Array; contentType: string } | undefined, hops: number): Promise<Uint8Array> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return Promise.reject(new FetchFailure(url, 'not a URL'));
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return Promise.reject(new FetchFailure(url, `scheme ${u.protocol} is not fetched (http and https only)`));
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise<Uint8Array>((resolve, reject) => {
    let settled = false;
    const finish = (e: Error | undefined, bytes?: Uint8Array) => {
      if (settled) return;
      settled = true;
      clearTimeout(total);
      if (e) reject(e instanceof FetchFailure ? e : new FetchFailure(url, e.message));
      else resolve(bytes as Uint8Array);
    };
    const req = lib.request(
      u,
      {
        method: post ? 'POST' : 'GET',
        headers: { 'user-agent': 'kense-office', accept: post ? 'application/ocsp-response' : 'application/pkix-crl, */*', ...(post ? { 'content-type': post.contentType, 'content-length': String(post.body.length) } : {}) },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          req.destroy();
          if (post) return finish(new FetchFailure(url, `HTTP ${status}: redirects are not followed for OCSP`));
          if (hops >= limits.maxRedirects) return finish(new FetchFailure(url, `more than ${limits.maxRedirects} redirects`));
          let next: URL;
          try {
            next = new URL(res.headers.location, u);
          } catch {
            return finish(new FetchFailure(url, 'redirect to an unreadable location'));
          }
          if (next.protocol !== u.protocol) return finish(new FetchFailure(url, `redirect from ${u.protocol} to ${next.protocol} refused`));
          fetchOnce(next.href, limits, post, hops + 1).then((b) => finish(undefined, b), (e: Error) => finish(e));
          return;
        }
        if (status !== 200) {
          res.resume();
          req.destroy();
          return finish(new FetchFailure(url, `HTTP ${status}`));
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > limits.maxBytes) {
          req.destroy();
          return finish(new FetchFailure(url, `${declared} bytes announced, more than the limit of ${limits.maxBytes}`));
        }
        // With a declared length the bytes are copied into place as they arrive: joining 20 MB at the end in one
        // go held the thread for a tenth of a second (a server answers nobody meanwhile).
        const into = Number.isFinite(declared) ? new Uint8Array(declared) : undefined;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size + c.length > limits.maxBytes || (into && size + c.length > into.length)) {
            req.destroy();
            return finish(new FetchFailure(url, into && size + c.length <= limits.maxBytes ? 'more bytes than announced' : `more than the limit of ${limits.maxBytes} bytes`));
          }
          if (into) into.set(c, size);
          else chunks.push(c);
          size += c.length;
        });
        res.on('end', () => {
          if (!into) return finish(undefined, new Uint8Array(Buffer.concat(chunks, size)));
          if (size !== into.length) return finish(new FetchFailure(url, `${size} of ${into.length} announced bytes`));
          finish(undefined, into);
        });
        res.on('error', (e) => finish(e));
        res.on('aborted', () => finish(new FetchFailure(url, 'connection closed mid-answer')));
      },
    );
    const total = setTimeout(() => {
      req.destroy();
      finish(new FetchFailure(url, `no complete answer within ${limits.timeoutMs} ms`));
    }, limits.timeoutMs);
    req.setTimeout(limits.idleTimeoutMs, () => {
      req.destroy();
      finish(new FetchFailure(url, `no data for ${limits.idleTimeoutMs} ms`));
    });
    req.on('error', (e: NodeJS.ErrnoException) => finish(new FetchFailure(url, e.code ?? e.message)));
    req.end(post ? post.body : undefined);
  });
}

export interface RevocationSourceOptions {
  store: RevocationStore;
  /** Ask the network (default true). false: only what the store holds. */
  online?: boolean;
  limits?: Partial<FetchLimits>;
  /**
   * OCSP: 'fallback' (default) asks a responder the certificate names when no CRL at hand is current;
   * 'always' asks too; 'never' does not.
   */
  ocsp?: 'never' | 'fallback' | 'always';
  /**
   * Where a URL a certificate names is really fetched from. Default: itself. A deployment behind a
   * mirror maps НУЦ's URLs to it; tests map them to a loopback server. Only URLs certificates name are
   * ever passed in; what comes back is checked against the issuer like anything else.
   */
  resolveUrl?: (url: string) => string;
  now?: () => Date;
  /**
   * Parses a CRL and checks it against `issuer` (noteCrlIssuer), elsewhere than this thread when the host can: a
   * server's worker thread, since a 20 MB CRL costs a pass and hashing its 20 MB. Default: parseCrl here.
   */
  parseCrl?: (bytes: Uint8Array, issuer: KzCertificate) => Promise<Crl>;
}

export interface CollectedEvidence {
  crls: Sourced<Crl>[];
  ocspResponses: Sourced<OcspResponse>[];
  /** What was fetched, kept, refused or could not be had — plain English, for the verdict's notes. */
  notes: string[];
}

interface Got<T> {
  item?: Sourced<T>;
  note?: string;
}

const HOUR = 3_600_000;

function age(ms: number): string {
  if (ms < 2 * 60_000) return `${Math.max(0, Math.round(ms / 1000))} s`;
  if (ms < 2 * HOUR) return `${Math.round(ms / 60_000)} min`;
  if (ms < 72 * HOUR) return `${Math.round(ms / HOUR)} h`;
  return `${Math.round(ms / (24 * HOUR))} days`;
}

/**
 * When a kept copy should be fetched again: ahead of its nextUpdate by a tenth of its period (at most an
 * hour), so a CRL is replaced before it goes stale; without a nextUpdate, a day after it was fetched.
 */
export function refreshDue(e: Pick<RevocationCacheEntry, 'fetchedAt' | 'thisUpdate' | 'nextUpdate'>): Date {
  if (!e.nextUpdate) return new Date(e.fetchedAt.getTime() + 24 * HOUR);
  const margin = Math.min(HOUR, Math.max(0, (e.nextUpdate.getTime() - e.thisUpdate.getTime()) / 10));
  return new Date(e.nextUpdate.getTime() - margin);
}

const fetchable = (url: string) => /^https?:\/\//i.test(url);

/** Fetches, keeps and hands out the revocation evidence certificates name. One per process (or per store) is enough. */
export class RevocationSource {
  private readonly limits: FetchLimits;
  private readonly inflight = new Map<string, Promise<Got<unknown>>>();
  /** Parsed copies by key and fetch time: a 20 MB CRL is parsed once per version, not per document. */
  private readonly parsed = new Map<string, { fetchedAt: number; crl: Crl }>();

  constructor(private readonly o: RevocationSourceOptions) {
    this.limits = { ...DEFAULT_FETCH_LIMITS, ...o.limits };
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  /**
   * The CRLs (and OCSP answers) about `cert`, issued by `issuer`, as current as they can be had.
   * `have` is the evidence the caller already holds (files the user named, the test kit's CRL): when it
   * holds a full CRL of this issuer that is still current, nothing is fetched.
   */
  async evidenceFor(cert: KzCertificate, issuer: KzCertificate, o: { mode?: RevocationMode; have?: readonly (Uint8Array | Crl | Sourced<Crl>)[] } = {}): Promise<CollectedEvidence> {
    const out: CollectedEvidence = { crls: [], ocspResponses: [], notes: [] };
    const mode = o.mode ?? 'auto';
    if (mode === 'none') return out;
    const now = this.now();
    // What a CA publishes after a certificate expired no longer lists it (RFC 5280 §3.3, RFC 6960 §4.4.4):
    // only copies kept from before can speak for it, so nothing is fetched.
    const fetchNow = this.o.online !== false && now.getTime() <= cert.notAfter.getTime();
    if (this.o.online !== false && !fetchNow) out.notes.push(`revocation data not fetched: the certificate expired on ${cert.notAfter.toISOString()}, and what is published since no longer lists it`);
    const current = (crl: Crl) => crl.deltaOf === undefined && crl.nextUpdate !== undefined && crl.nextUpdate.getTime() > now.getTime() && crlIssuedBy(crl, issuer);
    const held = (o.have ?? []).some((c) => {
      const crl = c instanceof Uint8Array ? safeParse(c) : 'evidence' in c ? (c.evidence instanceof Uint8Array ? safeParse(c.evidence) : c.evidence) : c;
      return crl !== undefined && current(crl);
    });
    let haveCurrentCrl = held;
    if (mode !== 'ocsp' && !held) {
      const skipped = [...cert.crlUrls, ...cert.deltaCrlUrls].filter((u) => !fetchable(u));
      if (skipped.length) out.notes.push(`not fetched (http and https only): ${skipped.join(', ')}`);
      const got = await Promise.all([...cert.crlUrls, ...cert.deltaCrlUrls].filter(fetchable).map((u) => this.crl(u, issuer, fetchNow)));
      for (const g of got) {
        if (g.note) out.notes.push(g.note);
        if (g.item) {
          out.crls.push(g.item);
          if (current(g.item.evidence as Crl)) haveCurrentCrl = true;
        }
      }
      if (cert.crlUrls.length === 0 && cert.deltaCrlUrls.length === 0) out.notes.push('the certificate names no CRL distribution point');
    }
    const ocsp = this.o.ocsp ?? 'fallback';
    if (fetchNow && mode !== 'crl' && (mode === 'ocsp' || ocsp === 'always' || (ocsp === 'fallback' && !haveCurrentCrl))) {
      if (ocsp !== 'never' || mode === 'ocsp') {
        for (const url of cert.ocspUrls.filter(fetchable)) {
          const g = await this.ocspAnswer(url, cert, issuer);
          if (g.note) out.notes.push(g.note);
          if (g.item) {
            out.ocspResponses.push(g.item);
            break;
          }
        }
      }
    }
    return out;
  }

  /** One CRL by URL: the kept copy while it is fresh, else a new one (kept), else the kept one with its age. */
  private crl(url: string, issuer: KzCertificate, online: boolean): Promise<Got<Crl>> {
    return this.once(`crl ${url} ${issuer.sha256} ${online}`, async () => {
      const now = this.now();
      const kept = await this.readStore(url);
      const keptCrl = kept && (await this.parsedCrl(kept, issuer));
      const fresh = keptCrl && now.getTime() < refreshDue(kept).getTime();
      if (keptCrl && fresh) return { item: { evidence: keptCrl, from: { origin: 'cache', url, fetchedAt: kept.fetchedAt } } };
      if (!online) {
        const why = this.o.online === false ? 'offline' : 'not fetched';
        if (keptCrl) return { item: { evidence: keptCrl, from: { origin: 'cache', url, fetchedAt: kept.fetchedAt } }, note: `${why}: using the CRL ${url} fetched ${age(now.getTime() - kept.fetchedAt.getTime())} ago` };
        return this.o.online === false ? { note: `offline: no copy of the CRL ${url}` } : {};
      }
      let problem: string;
      try {
        const bytes = await fetchBytes(this.target(url), this.limits);
        const crl = await this.parse(bytes, issuer);
        if (!crlIssuedBy(crl, issuer)) throw new Error(`not a CRL of «${issuer.subjectDn}» (issuer or signature differs)`);
        if (keptCrl && crl.thisUpdate.getTime() < keptCrl.thisUpdate.getTime()) throw new Error(`the server sent an older CRL (${crl.thisUpdate.toISOString()}) than the one kept`);
        const entry: RevocationCacheEntry = { key: url, kind: 'crl', bytes, fetchedAt: now, thisUpdate: crl.thisUpdate, ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate } : {}) };
        await this.writeStore(entry);
        this.parsed.set(url, { fetchedAt: now.getTime(), crl });
        return { item: { evidence: crl, from: { origin: 'network', url, fetchedAt: now } } };
      } catch (e) {
        problem = e instanceof Error ? (e instanceof FetchFailure ? e.message : `unusable answer: ${describe(e)}`) : String(e);
      }
      if (keptCrl) {
        return {
          item: { evidence: keptCrl, from: { origin: 'cache', url, fetchedAt: kept.fetchedAt } },
          note: `CRL ${url} could not be refreshed (${problem}); using the copy fetched ${age(now.getTime() - kept.fetchedAt.getTime())} ago (issued ${kept.thisUpdate.toISOString()}${kept.nextUpdate ? `, next update ${kept.nextUpdate.toISOString()}` : ''})`,
        };
      }
      return { note: `CRL ${url} could not be fetched (${problem})` };
    });
  }

  /** An OCSP answer about `cert`: a kept one while it is fresh, else asked now (with a nonce) and kept. */
  private ocspAnswer(url: string, cert: KzCertificate, issuer: KzCertificate): Promise<Got<OcspResponse>> {
    const req = buildOcspRequest(cert, issuer, { nonce: false });
    const key = `${url}#${createHash('sha256').update(req.der).digest('hex')}`;
    return this.once(`ocsp ${key}`, async () => {
      const now = this.now();
      const kept = await this.readStore(key);
      // An answer without nextUpdate speaks only for its own moment: it is asked again.
      if (kept?.nextUpdate && now.getTime() < refreshDue(kept).getTime()) {
        const resp = safeOcsp(kept.bytes);
        if (resp) return { item: { evidence: resp, from: { origin: 'cache', url, fetchedAt: kept.fetchedAt } } };
      }
      if (this.o.online === false) return { note: `offline: OCSP ${url} not asked` };
      try {
        const ask = buildOcspRequest(cert, issuer);
        const bytes = await fetchBytes(this.target(url), this.limits, { body: ask.der, contentType: 'application/ocsp-request' });
        const resp = parseOcspResponse(bytes);
        const v = verifyOcspResponse(resp, { issuer, at: now, cert, nonce: ask.nonce });
        if (!v.valid || !v.single) throw new Error(v.problem ?? 'no answer about the certificate');
        await this.writeStore({ key, kind: 'ocsp', bytes, fetchedAt: now, thisUpdate: v.single.thisUpdate, ...(v.single.nextUpdate ? { nextUpdate: v.single.nextUpdate } : {}) });
        return { item: { evidence: resp, from: { origin: 'network', url, fetchedAt: now } } };
      } catch (e) {
        return { note: `OCSP ${url} could not be asked (${e instanceof Error ? (e instanceof FetchFailure ? e.message : describe(e)) : String(e)})` };
      }
    });
  }

  private target(url: string): string {
    return this.o.resolveUrl ? this.o.resolveUrl(url) : url;
  }

  /** Concurrent callers (a batch of documents from one CA) share one fetch. */
  private once<T>(key: string, work: () => Promise<Got<T>>): Promise<Got<T>> {
    let p = this.inflight.get(key) as Promise<Got<T>> | undefined;
    if (!p) {
      p = work().finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  private parse(bytes: Uint8Array, issuer: KzCertificate): Promise<Crl> {
    return this.o.parseCrl ? this.o.parseCrl(bytes, issuer) : Promise.resolve(parseCrl(bytes));
  }

  private async parsedCrl(entry: RevocationCacheEntry, issuer: KzCertificate): Promise<Crl | undefined> {
    const memo = this.parsed.get(entry.key);
    if (memo && memo.fetchedAt === entry.fetchedAt.getTime() && crlIssuedBy(memo.crl, issuer)) return memo.crl;
    const crl = await this.parse(entry.bytes, issuer).catch(() => undefined);
    if (!crl || !crlIssuedBy(crl, issuer)) return undefined;
    this.parsed.set(entry.key, { fetchedAt: entry.fetchedAt.getTime(), crl });
    return crl;
  }

  private async readStore(key: string): Promise<RevocationCacheEntry | undefined> {
    try {
      return await this.o.store.get(key);
    } catch {
      return undefined;
    }
  }

  private async writeStore(entry: RevocationCacheEntry): Promise<void> {
    try {
      await this.o.store.put(entry);
    } catch {
      // A read-only or full cache costs freshness next time, not this answer.
    }
  }
}

function describe(e: Error): string {
  const details = (e as { details?: { reason?: unknown } }).details;
  return typeof details?.reason === 'string' ? details.reason : e.message;
}

function safeParse(bytes: Uint8Array): Crl | undefined {
  try {
    return parseCrl(bytes);
  } catch {
    return undefined;
  }
}

function safeOcsp(bytes: Uint8Array): OcspResponse | undefined {
  try {
    return parseOcspResponse(bytes);
  } catch {
    return undefined;
  }
}
