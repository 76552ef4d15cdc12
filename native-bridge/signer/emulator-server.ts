// An NCALayer-compatible wss server (NCALAYER_AND_PKI.md §1–3): the greeting, heartbeat echo,
// MODULE_NOT_FOUND, the basics and commonUtils shapes and cancels, exactly as NCALayer answers them.
// Key choice, passwords and signing live behind `EmulatorBackend` (the bundled signer over .p12 files).
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { KenseError } from '../../contract/errors';
import { HEARTBEAT, MODULE_BASICS, MODULE_COMMON_UTILS, MODULE_KAZTOKEN, safeJson } from '../ncalayer/protocol';

/** Which keys the client allows (basics signerParams / commonUtils keyType). */
export interface EmulatorKeyCriteria {
  ekuOids: string[];
  iin?: string;
  bin?: string;
  serialNumber?: string;
  /** false when the request says `signerParams.chain: []` (no chain check: test keys may be chosen). */
  chainCheck: boolean;
  /** commonUtils keyType; undefined for basics. */
  keyType?: 'SIGNATURE' | 'AUTHENTICATION' | 'ALL';
  storage?: string;
}

export type EmulatorOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; cancelled: true }
  | { ok: false; cancelled?: false; code: string; message: string };

/** Describes a request for the user (prompt mode) — never the document bytes. */
export interface EmulatorRequestSummary {
  module: string;
  method: string;
  format: 'cms' | 'xml' | 'info';
  documents: number;
  criteria: EmulatorKeyCriteria;
}

export interface EmulatorBackend {
  /** Hardware storages present (the emulator has none unless a backend says so). */
  activeTokens(): string[];
  signCms(req: {
    docs: Uint8Array[];
    attached: boolean;
    digested: boolean;
    criteria: EmulatorKeyCriteria;
    summary: EmulatorRequestSummary;
  }): Promise<EmulatorOutcome<{ cms: Uint8Array[]; certificateDer: Uint8Array }>>;
  signXml(req: { xmls: string[]; criteria: EmulatorKeyCriteria; summary: EmulatorRequestSummary }): Promise<
    EmulatorOutcome<{ xml: string[]; certificateDer: Uint8Array }>
  >;
  keyInfo(req: { criteria: EmulatorKeyCriteria; summary: EmulatorRequestSummary }): Promise<EmulatorOutcome<Record<string, string>>>;
}

export type ApprovePolicy = 'auto' | 'cancel' | ((summary: EmulatorRequestSummary) => Promise<boolean>);

export interface NcaLayerServerOptions {
  backend: EmulatorBackend;
  tls: { key: string; cert: string };
  host?: string;
  /** 13579 like NCALayer; 0 = any free port. */
  port?: number;
  /** Greeting version. Default '1.4'. */
  version?: string;
  /** Answer as KAZTOKEN desktop does (same protocol, plus its getVersion). */
  product?: 'ncalayer' | 'kaztoken';
  /** Modules offered: an old NCALayer has commonUtils only. */
  modules?: { basics?: boolean; commonUtils?: boolean };
  approve?: ApprovePolicy;
  /** Return CMS armoured as `-----BEGIN CMS-----` with \r\n, as some NCALayer builds do. */
  armour?: boolean;
  /** Observability for tests and the terminal (never document bytes or passwords). */
  onRequest?: (info: { module: string; method: string; raw: unknown }) => void;
}

export interface RunningNcaLayerServer {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Number of open client sockets. */
  readonly connections: number;
}

type Reply = Record<string, unknown>;

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function armourCms(der: Uint8Array): string {
  const lines = b64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN CMS-----\r\n${lines.join('\r\n')}\r\n-----END CMS-----\r\n`;
}

function certPem(der: Uint8Array): string {
  const lines = b64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\r\n${lines.join('\r\n')}\r\n-----END CERTIFICATE-----\r\n`;
}

function decodeBase64Strict(s: string): Uint8Array | null {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) return null;
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The protocol core, independent of sockets: one request in, one reply (or null for no reply) out. */
export class NcaLayerProtocolHandler {
  constructor(private readonly o: NcaLayerServerOptions) {}

  private get modules() {
    return { basics: this.o.modules?.basics ?? true, commonUtils: this.o.modules?.commonUtils ?? true };
  }

  async handle(text: string): Promise<string> {
    if (text === HEARTBEAT) return HEARTBEAT;
    const json = safeJson(text);
    if (!json || typeof json !== 'object' || Array.isArray(json)) return JSON.stringify({ success: false, code: 'COMMON_JSON_WRAPPING_EXCEPTION' });
    const req = json as Record<string, unknown>;
    const module = typeof req.module === 'string' ? req.module : '';
    const method = typeof req.method === 'string' ? req.method : '';
    this.o.onRequest?.({ module, method, raw: req });
    let reply: Reply;
    if (module === MODULE_BASICS && this.modules.basics) reply = await this.basics(method, req.args);
    else if (module === MODULE_COMMON_UTILS && this.modules.commonUtils) {
      reply = await this.commonUtils(method, req.args);
      if (typeof req.uuid === 'string') reply.uuid = req.uuid;
    } else if (module === MODULE_KAZTOKEN && this.o.product === 'kaztoken' && method === 'getVersion') {
      reply = { code: '200', responseObject: { name: 'KAZTOKENdesktop', version: this.o.version ?? '1.0' } };
    } else reply = { success: false, errorCode: 'MODULE_NOT_FOUND' };
    return JSON.stringify(reply);
  }

  private async approved(summary: EmulatorRequestSummary): Promise<boolean> {
    const a = this.o.approve ?? 'auto';
    if (a === 'auto') return true;
    if (a === 'cancel') return false;
    return a(summary);
  }

  private cmsText(der: Uint8Array): string {
    return this.o.armour ? armourCms(der) : b64(der);
  }

  // ---------- kz.gov.pki.knca.basics ----------

  private async basics(method: string, args: unknown): Promise<Reply> {
    const fail = (code: string, message: string): Reply => ({ status: false, code, message, details: message });
    if (method !== 'sign') return fail('GENERAL_ERROR', `Unknown method: ${method.slice(0, 100)}`);
    if (!args || typeof args !== 'object' || Array.isArray(args)) return fail('INVALID_SIGNING_PARAMS', 'args must be an object');
    const a = args as Record<string, unknown>;
    const format = a.format;
    if (format !== 'cms' && format !== 'xml') return fail('INVALID_SIGNING_PARAMS', `Unsupported format: ${String(format).slice(0, 20)}`);
    const single = typeof a.data === 'string';
    const data = single ? [a.data as string] : a.data;
    if (!isStringArray(data) || data.length === 0) return fail('INVALID_SIGNING_PARAMS', 'data must be a string or a non-empty array of strings');
    const sp = (a.signingParams && typeof a.signingParams === 'object' ? a.signingParams : {}) as Record<string, unknown>;
    const sg = (a.signerParams && typeof a.signerParams === 'object' ? a.signerParams : {}) as Record<string, unknown>;
    if ('tsaProfile' in sp && sp.tsaProfile !== null && sp.tsaProfile !== undefined) {
      return fail('SIGNING_FAILURE', 'The emulator cannot reach a TSA: timestamps (tsaProfile) are not available');
    }
    const criteria: EmulatorKeyCriteria = {
      ekuOids: isStringArray(sg.extKeyUsageOids) ? sg.extKeyUsageOids : [],
      chainCheck: !(Array.isArray(sg.chain) && sg.chain.length === 0),
      ...(typeof sg.iin === 'string' && sg.iin ? { iin: sg.iin } : {}),
      ...(typeof sg.bin === 'string' && sg.bin ? { bin: sg.bin } : {}),
      ...(typeof sg.serialNumber === 'string' && sg.serialNumber ? { serialNumber: sg.serialNumber } : {}),
    };
    const summary: EmulatorRequestSummary = { module: MODULE_BASICS, method, format, documents: data.length, criteria };
    if (!(await this.approved(summary))) return { status: true, body: {} };
    const decode = sp.decode === undefined ? format === 'cms' : sp.decode === true || sp.decode === 'true';
    const outputCert = sp.outputCert === true;
    let results: string[];
    let certDer: Uint8Array;
    if (format === 'cms') {
      const docs: Uint8Array[] = [];
      for (const d of data) {
        const bytes = decode ? decodeBase64Strict(d) : new TextEncoder().encode(d);
        if (!bytes) return fail('INVALID_SIGNING_PARAMS', 'data is not valid base64');
        docs.push(bytes);
      }
      const attached = !(sp.encapsulate === false || sp.encapsulate === 'false');
      const digested = sp.digested === true || sp.digested === 'true';
      const out = await this.o.backend.signCms({ docs, attached: attached && !digested, digested, criteria, summary });
      if (!out.ok) return out.cancelled ? { status: true, body: {} } : fail(out.code, out.message);
      results = out.value.cms.map((c) => this.cmsText(c));
      certDer = out.value.certificateDer;
    } else {
      const xmls: string[] = [];
      for (const d of data) {
        if (decode) {
          const bytes = decodeBase64Strict(d);
          if (!bytes) return fail('INVALID_SIGNING_PARAMS', 'data is not valid base64');
          xmls.push(new TextDecoder().decode(bytes));
        } else xmls.push(d);
      }
      const out = await this.o.backend.signXml({ xmls, criteria, summary });
      if (!out.ok) return out.cancelled ? { status: true, body: {} } : fail(out.code, out.message);
      results = out.value.xml;
      certDer = out.value.certificateDer;
    }
    if (outputCert) return { status: true, body: { result: { signatures: results, certificate: certPem(certDer) } } };
    return { status: true, body: { result: single ? results[0] : results } };
  }

  // ---------- kz.gov.pki.knca.commonUtils ----------

  private async commonUtils(method: string, args: unknown): Promise<Reply> {
    const ok = (responseObject?: unknown): Reply => (responseObject === undefined ? { code: '200' } : { code: '200', responseObject });
    const err = (message: string): Reply => ({ code: '500', message });
    const mismatch = () => err(`java.lang.IllegalArgumentException: argument type mismatch. Method: ${method}`);
    const a = Array.isArray(args) ? args : [];
    const keyCriteria = (storage: unknown, keyType: unknown): { c: EmulatorKeyCriteria } | { reply: Reply } => {
      if (typeof storage !== 'string' || typeof keyType !== 'string') return { reply: mismatch() };
      if (storage !== 'PKCS12') {
        return { reply: this.o.backend.activeTokens().includes(storage) ? err('storage.unknown') : err('storage.empty') };
      }
      const kt = keyType === 'SIGNATURE' || keyType === 'AUTHENTICATION' ? keyType : 'ALL';
      // commonUtils has no chain parameter: the emulator offers every key it holds (a developer tool).
      return { c: { ekuOids: [], chainCheck: false, keyType: kt, storage } };
    };
    const summary = (format: EmulatorRequestSummary['format'], documents: number, criteria: EmulatorKeyCriteria): EmulatorRequestSummary => ({
      module: MODULE_COMMON_UTILS,
      method,
      format,
      documents,
      criteria,
    });
    const cancelled = err('action.canceled');
    switch (method) {
      case 'getActiveTokens':
        return ok(this.o.backend.activeTokens());
      case 'changeLocale':
        return typeof a[0] === 'string' ? ok() : mismatch();
      case 'getKeyInfo': {
        const k = keyCriteria(a[0], 'ALL');
        if ('reply' in k) return k.reply;
        const c = k.c;
        const s = summary('info', 0, c);
        if (!(await this.approved(s))) return cancelled;
        const out = await this.o.backend.keyInfo({ criteria: c, summary: s });
        if (!out.ok) return out.cancelled ? cancelled : err(out.message);
        return ok(out.value);
      }
      case 'createCAdESFromBase64':
      case 'createCAdESFromBase64Hash': {
        const hash = method === 'createCAdESFromBase64Hash';
        if (typeof a[2] !== 'string' || (!hash && typeof a[3] !== 'boolean')) return mismatch();
        const k = keyCriteria(a[0], a[1]);
        if ('reply' in k) return k.reply;
        const c = k.c;
        const doc = decodeBase64Strict(a[2]);
        if (!doc) return err('java.lang.IllegalArgumentException: Illegal base64 character');
        const s = summary('cms', 1, c);
        if (!(await this.approved(s))) return cancelled;
        const out = await this.o.backend.signCms({ docs: [doc], attached: hash ? false : (a[3] as boolean), digested: hash, criteria: c, summary: s });
        if (!out.ok) return out.cancelled ? cancelled : err(out.message);
        return ok(b64(out.value.cms[0]));
      }
      case 'createCMSSignatureFromBase64':
      case 'applyCAdEST':
        return err('The emulator cannot reach a TSA: timestamped signatures are not available');
      case 'signXml':
      case 'signXmls': {
        const many = method === 'signXmls';
        if (many ? !isStringArray(a[2]) : typeof a[2] !== 'string') return mismatch();
        const k = keyCriteria(a[0], a[1]);
        if ('reply' in k) return k.reply;
        const c = k.c;
        if ((typeof a[3] === 'string' && a[3] !== '') || (typeof a[4] === 'string' && a[4] !== '')) {
          return err('The emulator signs whole documents only (tbsXPath and parentXPath must be "")');
        }
        const xmls = many ? (a[2] as string[]) : [a[2] as string];
        const s = summary('xml', xmls.length, c);
        if (!(await this.approved(s))) return cancelled;
        const out = await this.o.backend.signXml({ xmls, criteria: c, summary: s });
        if (!out.ok) return out.cancelled ? cancelled : err(out.message);
        return ok(many ? out.value.xml : out.value.xml[0]);
      }
      default:
        return err(`NoSuchMethodException ${method.slice(0, 100)}`);
    }
  }
}

/** Starts the server; resolves when it listens. */
export async function startNcaLayerServer(options: NcaLayerServerOptions): Promise<RunningNcaLayerServer> {
  const handler = new NcaLayerProtocolHandler(options);
  const server = https.createServer({ key: options.tls.key, cert: options.tls.cert, minVersion: 'TLSv1.2' }, (_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('NCALayer speaks WebSocket only\n');
  });
  const wss = new WebSocketServer({
    server,
    maxPayload: 512 * 1024 * 1024,
    perMessageDeflate: false,
    verifyClient: (info: { req: { socket: { remoteAddress?: string } } }) => LOOPBACK.has(info.req.socket.remoteAddress ?? ''),
  });
  // ws re-emits the HTTP server's errors (EADDRINUSE on listen); they are answered by the listen below.
  wss.on('error', () => {});
  const sockets = new Set<WebSocket>();
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => {});
    ws.send(JSON.stringify({ result: { version: options.version ?? '1.4' } }));
    // One request at a time per socket, like NCALayer; heartbeats are answered at once.
    let chain: Promise<void> = Promise.resolve();
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      if (text === HEARTBEAT) {
        ws.send(HEARTBEAT);
        return;
      }
      chain = chain.then(async () => {
        let reply: string;
        try {
          reply = await handler.handle(text);
        } catch (e) {
          const code = e instanceof KenseError ? e.code : 'GENERAL_ERROR';
          reply = JSON.stringify({ status: false, code: 'GENERAL_ERROR', message: code });
        }
        if (ws.readyState === ws.OPEN) ws.send(reply);
      });
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new KenseError('EMULATOR_PORT_IN_USE', { port: options.port ?? 13579 }) : e),
    );
    server.listen(options.port ?? 13579, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `wss://127.0.0.1:${port}`,
    port,
    get connections() {
      return sockets.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
