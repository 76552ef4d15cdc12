// NCALayer wire protocol (NCALAYER_AND_PKI.md §1–3): request builders and tolerant response parsers.
// Everything here is pure; the parsers accept every documented reply shape and turn anything else
// into a typed result, never an exception from deep inside.
import { z } from 'zod';
import type { NcaStorage, SignerFilter } from '../../contract/signing';
import { ALL_NCA_STORAGES } from '../../contract/signing';
import type { Locale } from '../../contract/errors';

export const DEFAULT_NCALAYER_URL = 'wss://127.0.0.1:13579';
export const HEARTBEAT = '--heartbeat--';
export const MODULE_BASICS = 'kz.gov.pki.knca.basics';
export const MODULE_COMMON_UTILS = 'kz.gov.pki.knca.commonUtils';
export const MODULE_KAZTOKEN = 'kz.digiflow.mobile.extensions';

export const OID = {
  ekuEmailProtection: '1.3.6.1.5.5.7.3.4',
  ekuClientAuth: '1.3.6.1.5.5.7.3.2',
  individual: '1.2.398.3.3.4.1.1',
  legalEntity: '1.2.398.3.3.4.1.2',
  firstHead: '1.2.398.3.3.4.1.2.1',
  signRight: '1.2.398.3.3.4.1.2.2',
} as const;

// ---------- greeting ----------

// Any version is accepted (newer builds keep the protocol); some builds might send it as a number.
const GreetingSchema = z.object({
  result: z.object({ version: z.union([z.string().min(1).max(64), z.number().nonnegative().transform(String)]) }),
});

/** The unprompted first message of NCALayer: `{"result":{"version":"1.4"}}`. null = not NCALayer. */
export function parseGreeting(text: string): { version: string } | null {
  const json = safeJson(text);
  const r = GreetingSchema.safeParse(json);
  return r.success ? { version: r.data.result.version } : null;
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// ---------- basics.sign ----------

export interface BasicsSignInput {
  format: 'cms' | 'xml';
  /** CMS: the documents as base64. XML: the XML texts. */
  data: string[];
  /** CMS only: attach the data (encapsulate). */
  attached?: boolean;
  /** CMS only: `data` are ready digests. */
  digested?: boolean;
  /** Ask NCALayer for a timestamp (CAdES-T, needs network). */
  timestamp?: boolean;
  filter: SignerFilter;
  storages?: readonly NcaStorage[];
  locale?: Locale;
  /** Ask for the signer certificate in the reply (`{signatures, certificate}` shape). */
  outputCert?: boolean;
}

/**
 * EKU OIDs NCALayer must find in a certificate before it offers the key. NCALayer ANDs the list, so
 * "first head or right to sign" can only ask for the legal-entity OID; the role is checked again on the
 * returned certificate. Authentication asks for no EKU: GOST-2015 keys carry no clientAuth and are used
 * for both; the returned certificate is checked instead.
 */
export function filterEkuOids(filter: SignerFilter): string[] {
  const oids: string[] = [];
  if (filter.purpose === 'signature') oids.push(OID.ekuEmailProtection);
  if (filter.subject === 'individual') oids.push(OID.individual);
  if (filter.subject === 'legal_entity' || filter.role !== 'any') oids.push(OID.legalEntity);
  if (filter.role === 'first_head') oids.push(OID.firstHead);
  if (filter.role === 'sign_right') oids.push(OID.signRight);
  return oids;
}

export function buildBasicsSign(input: BasicsSignInput): Record<string, unknown> {
  const signerParams: Record<string, unknown> = { extKeyUsageOids: filterEkuOids(input.filter) };
  if (input.filter.iin) signerParams.iin = input.filter.iin;
  if (input.filter.bin) signerParams.bin = input.filter.bin;
  if (input.filter.serialNumber) signerParams.serialNumber = input.filter.serialNumber;
  // null = only keys chaining to the production НУЦ CAs; [] = no chain check (test keys).
  signerParams.chain = input.filter.allowTestKeys ? [] : null;
  const signingParams: Record<string, unknown> =
    input.format === 'cms'
      ? { decode: true, encapsulate: input.attached ?? true, digested: input.digested ?? false }
      : {};
  if (input.timestamp) signingParams.tsaProfile = {};
  if (input.outputCert) signingParams.outputCert = true;
  return {
    module: MODULE_BASICS,
    method: 'sign',
    args: {
      allowedStorages: [...(input.storages ?? ALL_NCA_STORAGES)],
      format: input.format,
      // One document goes as a string (understood by every basics build); several as an array = one dialog.
      data: input.data.length === 1 ? input.data[0] : input.data,
      signingParams,
      signerParams,
      locale: input.locale ?? 'ru',
    },
  };
}

export type BasicsReply =
  | { kind: 'signed'; results: string[]; certificatePem?: string }
  | { kind: 'cancelled' }
  | { kind: 'failed'; code: string; message?: string }
  | { kind: 'module_not_found' }
  | { kind: 'malformed'; why: string };

const ErrCode = z.union([z.string(), z.number()]).transform(String);
const Text = z.string().max(1_000_000_000);

const BasicsOk = z.object({
  status: z.literal(true),
  body: z.object({
    result: z
      .union([
        Text,
        z.array(Text),
        z.object({ signatures: z.union([Text, z.array(Text)]), certificate: Text.optional() }),
      ])
      .optional(),
  }).passthrough(),
});
const BasicsFail = z.object({
  status: z.literal(false),
  code: ErrCode.optional(),
  errorCode: ErrCode.optional(),
  message: z.unknown().optional(),
  details: z.unknown().optional(),
});
const ModuleNotFound = z.object({ success: z.literal(false), errorCode: z.literal('MODULE_NOT_FOUND') });
const GenericFail = z.object({ success: z.literal(false), code: ErrCode.optional(), errorCode: ErrCode.optional() });

function shortText(v: unknown): string | undefined {
  return typeof v === 'string' ? v.slice(0, 500) : undefined;
}

export function parseBasicsReply(json: unknown): BasicsReply {
  if (ModuleNotFound.safeParse(json).success) return { kind: 'module_not_found' };
  const ok = BasicsOk.safeParse(json);
  if (ok.success) {
    const r = ok.data.body.result;
    if (r === undefined) return { kind: 'cancelled' };
    if (typeof r === 'string') return { kind: 'signed', results: [r] };
    if (Array.isArray(r)) return { kind: 'signed', results: r };
    return {
      kind: 'signed',
      results: typeof r.signatures === 'string' ? [r.signatures] : r.signatures,
      ...(r.certificate ? { certificatePem: r.certificate } : {}),
    };
  }
  const fail = BasicsFail.safeParse(json);
  if (fail.success) {
    const msg = shortText(fail.data.message);
    return { kind: 'failed', code: fail.data.code ?? fail.data.errorCode ?? 'UNKNOWN', ...(msg ? { message: msg } : {}) };
  }
  const gen = GenericFail.safeParse(json);
  if (gen.success) return { kind: 'failed', code: gen.data.code ?? gen.data.errorCode ?? 'UNKNOWN' };
  return { kind: 'malformed', why: 'not a basics reply' };
}

// ---------- commonUtils ----------

export type CommonUtilsMethod =
  | 'getActiveTokens'
  | 'getKeyInfo'
  | 'createCAdESFromBase64'
  | 'createCAdESFromBase64Hash'
  | 'createCMSSignatureFromBase64'
  | 'signXml'
  | 'signXmls'
  | 'applyCAdEST'
  | 'changeLocale';

export function buildCommonUtils(method: CommonUtilsMethod | string, args: unknown[], uuid?: string): Record<string, unknown> {
  return { module: MODULE_COMMON_UTILS, method, args, ...(uuid ? { uuid } : {}) };
}

export type CommonUtilsReply =
  | { kind: 'ok'; value: unknown; uuid?: string }
  | { kind: 'cancelled'; uuid?: string }
  | { kind: 'failed'; message: string; code: string; uuid?: string }
  | { kind: 'module_not_found' }
  | { kind: 'malformed'; why: string };

const CommonUtilsShape = z.object({
  code: ErrCode,
  responseObject: z.unknown().optional(),
  message: z.unknown().optional(),
  uuid: z.string().max(200).optional(),
});

export function parseCommonUtilsReply(json: unknown): CommonUtilsReply {
  if (ModuleNotFound.safeParse(json).success) return { kind: 'module_not_found' };
  const r = CommonUtilsShape.safeParse(json);
  if (!r.success) return { kind: 'malformed', why: 'not a commonUtils reply' };
  const uuid = r.data.uuid ? { uuid: r.data.uuid } : {};
  if (r.data.code === '200') return { kind: 'ok', value: r.data.responseObject, ...uuid };
  const message = shortText(r.data.message) ?? '';
  if (message === 'action.canceled') return { kind: 'cancelled', ...uuid };
  return { kind: 'failed', code: r.data.code, message, ...uuid };
}

/** keyType argument of commonUtils: what a signer filter asks for. */
export function legacyKeyType(filter: SignerFilter): 'SIGNATURE' | 'AUTHENTICATION' {
  return filter.purpose === 'authentication' ? 'AUTHENTICATION' : 'SIGNATURE';
}

// ---------- getKeyInfo ----------

export interface LegacyKeyInfo {
  alias?: string;
  keyId?: string;
  algorithm?: string;
  subjectCn?: string;
  subjectDn?: string;
  issuerCn?: string;
  issuerDn?: string;
  serialNumber?: string;
  certNotBefore?: Date;
  certNotAfter?: Date;
  authorityKeyIdentifier?: string;
  pem?: string;
}

/** Dates come as epoch-ms strings (older builds) or `dd.MM.yyyy HH:mm:ss` (newer); accept both. */
export function parseNcaDate(v: unknown): Date | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v);
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (/^\d{9,15}$/.test(s)) return new Date(Number(s));
  const m = s.match(/^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/);
  if (m) {
    // NCALayer prints local time of Kazakhstan; without a zone we read it as UTC+5 (Asia/Almaty since 2024).
    const d = new Date(Date.UTC(+m[3], +m[2] - 1, +m[1], +(m[4] ?? 0) - 5, +(m[5] ?? 0), +(m[6] ?? 0)));
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function parseKeyInfo(v: unknown): LegacyKeyInfo | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string).slice(0, 10_000) : undefined);
  const info: LegacyKeyInfo = {};
  for (const k of ['alias', 'keyId', 'algorithm', 'subjectCn', 'subjectDn', 'issuerCn', 'issuerDn', 'serialNumber', 'authorityKeyIdentifier', 'pem'] as const) {
    const s = str(k);
    if (s !== undefined) info[k] = s;
  }
  const nb = parseNcaDate(o.certNotBefore);
  const na = parseNcaDate(o.certNotAfter);
  if (nb) info.certNotBefore = nb;
  if (na) info.certNotAfter = na;
  return info;
}

// ---------- KAZTOKEN ----------

const KaztokenVersion = z.object({
  code: ErrCode,
  responseObject: z.object({ name: z.string().max(200), version: z.string().max(64) }).passthrough(),
});

export function parseKaztokenVersion(json: unknown): { name: string; version: string } | null {
  const r = KaztokenVersion.safeParse(json);
  return r.success && r.data.code === '200' ? { name: r.data.responseObject.name, version: r.data.responseObject.version } : null;
}

// ---------- CMS payloads ----------

const ARMOUR = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;

/** A CMS as NCALayer returns it: bare base64 or `-----BEGIN CMS-----` armour with \r\n. null = not base64. */
export function decodeCmsText(text: string): Uint8Array | null {
  const m = text.match(ARMOUR);
  const b64 = (m ? m[2] : text).replace(/\s+/g, '');
  if (b64.length === 0 || b64.length % 4 === 1 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return null;
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length === 0) return null;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
