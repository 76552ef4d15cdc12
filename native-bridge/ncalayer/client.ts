// NCALayer client: the modules' calls over one connection, each reply parsed with every documented
// shape accepted and every failure mapped to a typed error. `basics.sign` first (many documents, one
// key choice); `commonUtils` for old installs.
import { randomUUID } from 'node:crypto';
import { KenseError, type Locale } from '../../contract/errors';
import type { NcaStorage, SignerFilter } from '../../contract/signing';
import { NcaLayerConnection, cancelled, type NcaLayerConnectionOptions, type RequestOptions } from './connection';
import {
  MODULE_BASICS,
  MODULE_COMMON_UTILS,
  MODULE_KAZTOKEN,
  buildBasicsSign,
  buildCommonUtils,
  decodeCmsText,
  legacyKeyType,
  parseBasicsReply,
  parseCommonUtilsReply,
  parseKaztokenVersion,
  parseKeyInfo,
  toBase64,
  type BasicsSignInput,
  type CommonUtilsMethod,
  type LegacyKeyInfo,
} from './protocol';

export interface NcaLayerClientOptions extends NcaLayerConnectionOptions {
  locale?: Locale;
  /** Use commonUtils when basics is missing (one dialog per CMS document). Default true. */
  allowLegacy?: boolean;
}

export interface NcaLayerProduct {
  product: 'NCALayer' | 'KAZTOKEN';
  version: string;
  /** KAZTOKEN desktop reports its own name and version. */
  kaztoken?: { name: string; version: string };
}

export interface ClientSignOptions extends RequestOptions {
  filter: SignerFilter;
  locale?: Locale;
  /** Storage for the legacy path; default: the first hardware token present, else PKCS12. */
  legacyStorage?: NcaStorage;
}

export interface ClientCmsResult {
  cms: Uint8Array[];
  /** Present when NCALayer returned it (outputCert shape). */
  certificatePem?: string;
  via: 'basics' | 'commonUtils';
}

export interface ClientXmlResult {
  xml: string[];
  certificatePem?: string;
  via: 'basics' | 'commonUtils';
}

function protocolError(reason: string, extra: Record<string, unknown> = {}): KenseError {
  return new KenseError('NCALAYER_PROTOCOL_ERROR', { reason, ...extra });
}

export class NcaLayerClient {
  readonly connection: NcaLayerConnection;
  private readonly locale: Locale;
  private readonly allowLegacy: boolean;
  /** Learned from MODULE_NOT_FOUND; reset on reconnect to another version. */
  private basicsAvailable: boolean | undefined;
  private basicsVersion: string | undefined;

  constructor(options: NcaLayerClientOptions = {}) {
    this.connection = new NcaLayerConnection(options);
    this.locale = options.locale ?? 'ru';
    this.allowLegacy = options.allowLegacy ?? true;
  }

  get url(): string {
    return this.connection.url;
  }

  /** Connects and returns the version from the greeting. */
  async connect(): Promise<string> {
    return this.connection.open();
  }

  close(): void {
    this.connection.close();
  }

  // ---------- basics ----------

  /** `basics.sign` as sent; the raw result strings (CMS base64/armoured or signed XML). */
  async basicsSign(input: BasicsSignInput, options: RequestOptions = {}): Promise<{ results: string[]; certificatePem?: string }> {
    const reply = parseBasicsReply(await this.connection.request(buildBasicsSign({ locale: this.locale, ...input }), options));
    switch (reply.kind) {
      case 'module_not_found':
        this.basicsAvailable = false;
        this.basicsVersion = this.connection.version;
        throw new KenseError('NCALAYER_OUTDATED', { missing: MODULE_BASICS, version: this.connection.version });
      case 'cancelled':
        throw cancelled('user', { module: MODULE_BASICS });
      case 'failed':
        throw new KenseError('NCALAYER_SIGN_FAILED', { module: MODULE_BASICS, code: reply.code, ...(reply.message ? { message: reply.message } : {}) });
      case 'malformed':
        throw protocolError(reply.why, { module: MODULE_BASICS });
      case 'signed':
        this.basicsAvailable = true;
        if (reply.results.length !== input.data.length) {
          throw protocolError('result count differs from the number of documents', { expected: input.data.length, got: reply.results.length });
        }
        return { results: reply.results, ...(reply.certificatePem ? { certificatePem: reply.certificatePem } : {}) };
    }
  }

  /**
   * Whether basics is present, asked without opening any dialog: an unknown basics method answers with
   * a basics error, a missing module with MODULE_NOT_FOUND (heuristic: NCALayer documents no basics
   * method that is free of side effects).
   */
  async hasBasics(options: RequestOptions = {}): Promise<boolean> {
    const json = await this.connection.request({ module: MODULE_BASICS, method: 'kenseProbe', args: {} }, options);
    const reply = parseBasicsReply(json);
    this.basicsAvailable = reply.kind !== 'module_not_found';
    this.basicsVersion = this.connection.version;
    return this.basicsAvailable;
  }

  // ---------- commonUtils ----------

  async commonUtils(method: CommonUtilsMethod, args: unknown[], options: RequestOptions = {}): Promise<unknown> {
    const uuid = randomUUID();
    const reply = parseCommonUtilsReply(await this.connection.request(buildCommonUtils(method, args, uuid), options));
    if ('uuid' in reply && reply.uuid !== undefined && reply.uuid !== uuid) throw protocolError('reply uuid does not match the request');
    switch (reply.kind) {
      case 'module_not_found':
        throw new KenseError('NCALAYER_OUTDATED', { missing: MODULE_COMMON_UTILS, version: this.connection.version });
      case 'cancelled':
        throw cancelled('user', { module: MODULE_COMMON_UTILS, method });
      case 'malformed':
        throw protocolError(reply.why, { module: MODULE_COMMON_UTILS, method });
      case 'failed': {
        const m = reply.message;
        if (m === 'storage.empty' || m === 'file.not_found' || m === 'storage.unknown') {
          throw new KenseError('SIGNER_NO_MATCHING_KEY', { module: MODULE_COMMON_UTILS, method, reason: m });
        }
        if (m.startsWith('NoSuchMethodException') || m.includes('argument type mismatch')) {
          throw new KenseError('NCALAYER_OUTDATED', { module: MODULE_COMMON_UTILS, method, reason: m.slice(0, 200) });
        }
        throw new KenseError('NCALAYER_SIGN_FAILED', { module: MODULE_COMMON_UTILS, method, code: reply.code, message: m });
      }
      case 'ok':
        return reply.value;
    }
  }

  /** Hardware storages present (PKCS12 is never listed). */
  async getActiveTokens(options: RequestOptions = {}): Promise<string[]> {
    const v = await this.commonUtils('getActiveTokens', [], options);
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw protocolError('getActiveTokens did not return a list of names');
    return v;
  }

  /** Opens NCALayer's key dialog for `storage` and returns what it tells about the chosen key. */
  async getKeyInfo(storage: NcaStorage, options: RequestOptions = {}): Promise<LegacyKeyInfo> {
    const info = parseKeyInfo(await this.commonUtils('getKeyInfo', [storage], options));
    if (!info) throw protocolError('getKeyInfo did not return an object');
    return info;
  }

  async changeLocale(locale: Locale, options: RequestOptions = {}): Promise<void> {
    await this.commonUtils('changeLocale', [locale], options);
  }

  /** NCALayer or KAZTOKEN desktop (same protocol; KAZTOKEN answers its own getVersion). */
  async detectProduct(options: RequestOptions = {}): Promise<NcaLayerProduct> {
    const version = await this.connect();
    const json = await this.connection.request({ module: MODULE_KAZTOKEN, method: 'getVersion' }, options);
    const k = parseKaztokenVersion(json);
    return k ? { product: 'KAZTOKEN', version, kaztoken: k } : { product: 'NCALayer', version };
  }

  // ---------- signing with fallback ----------

  private async legacyStorage(opts: ClientSignOptions): Promise<NcaStorage> {
    if (opts.legacyStorage) return opts.legacyStorage;
    const tokens = await this.getActiveTokens({ signal: opts.signal });
    return (tokens[0] as NcaStorage | undefined) ?? 'PKCS12';
  }

  private useBasics(): boolean {
    return this.basicsAvailable !== false || this.basicsVersion !== this.connection.version;
  }

  private legacyOrOutdated(e: unknown): void {
    if (!(e instanceof KenseError && e.code === 'NCALAYER_OUTDATED' && e.details?.missing === MODULE_BASICS)) throw e;
    if (!this.allowLegacy) throw e;
  }

  /** CMS over every document; one key choice and password with basics, one dialog per document on the legacy path. */
  async signCms(docs: Uint8Array[], opts: ClientSignOptions & { detached?: boolean }): Promise<ClientCmsResult> {
    if (docs.length === 0) return { cms: [], via: 'basics' };
    await this.connect();
    if (this.useBasics()) {
      try {
        const r = await this.basicsSign(
          { format: 'cms', data: docs.map(toBase64), attached: !opts.detached, filter: opts.filter, locale: opts.locale ?? this.locale, outputCert: false },
          opts,
        );
        const cms = r.results.map((t, i) => {
          const der = decodeCmsText(t);
          if (!der) throw protocolError('a CMS in the reply is not base64', { index: i });
          return der;
        });
        return { cms, via: 'basics', ...(r.certificatePem ? { certificatePem: r.certificatePem } : {}) };
      } catch (e) {
        this.legacyOrOutdated(e);
      }
    } else if (!this.allowLegacy) throw new KenseError('NCALAYER_OUTDATED', { missing: MODULE_BASICS, version: this.connection.version });
    const storage = await this.legacyStorage(opts);
    const cms: Uint8Array[] = [];
    for (const doc of docs) {
      const v = await this.commonUtils('createCAdESFromBase64', [storage, legacyKeyType(opts.filter), toBase64(doc), !opts.detached], opts);
      const der = typeof v === 'string' ? decodeCmsText(v) : null;
      if (!der) throw protocolError('createCAdESFromBase64 did not return base64');
      cms.push(der);
    }
    return { cms, via: 'commonUtils' };
  }

  /** Enveloped XMLDSig over each whole document. */
  async signXml(xmls: string[], opts: ClientSignOptions): Promise<ClientXmlResult> {
    if (xmls.length === 0) return { xml: [], via: 'basics' };
    await this.connect();
    if (this.useBasics()) {
      try {
        const r = await this.basicsSign({ format: 'xml', data: xmls, filter: opts.filter, locale: opts.locale ?? this.locale }, opts);
        return { xml: r.results, via: 'basics', ...(r.certificatePem ? { certificatePem: r.certificatePem } : {}) };
      } catch (e) {
        this.legacyOrOutdated(e);
      }
    } else if (!this.allowLegacy) throw new KenseError('NCALAYER_OUTDATED', { missing: MODULE_BASICS, version: this.connection.version });
    const storage = await this.legacyStorage(opts);
    const keyType = legacyKeyType(opts.filter);
    if (xmls.length > 1) {
      try {
        const v = await this.commonUtils('signXmls', [storage, keyType, xmls, '', ''], opts);
        if (!Array.isArray(v) || v.length !== xmls.length || !v.every((x) => typeof x === 'string')) {
          throw protocolError('signXmls did not return one string per document');
        }
        return { xml: v, via: 'commonUtils' };
      } catch (e) {
        // Very old builds lack signXmls: sign one by one.
        if (!(e instanceof KenseError && e.code === 'NCALAYER_OUTDATED')) throw e;
      }
    }
    const out: string[] = [];
    for (const x of xmls) {
      const v = await this.commonUtils('signXml', [storage, keyType, x, '', ''], opts);
      if (typeof v !== 'string') throw protocolError('signXml did not return a string');
      out.push(v);
    }
    return { xml: out, via: 'commonUtils' };
  }
}
