// Signing types shared by the app, core and native-bridge: which key may sign (signer filter), in which
// format, through which signer, and what the UI may show about a key. Facts: NCALAYER_AND_PKI.md §2–4.
import { z } from 'zod';
import type { LocalizedText } from './errors/types';

/** Where a signature is made: the НУЦ NCALayer on the user's machine, or the app's own signer over a .p12 file. */
export const SignerKindSchema = z.enum(['ncalayer', 'p12']);
export type SignerKind = z.infer<typeof SignerKindSchema>;

export const SignFormatSchema = z.enum(['cms', 'xml']);
export type SignFormat = z.infer<typeof SignFormatSchema>;

/** What the key is for: signing documents (emailProtection EKU) or logging in (clientAuth; GOST-2015 keys do both). */
export const KeyPurposeSchema = z.enum(['signature', 'authentication']);
export type KeyPurpose = z.infer<typeof KeyPurposeSchema>;

/** Holder of the certificate: a private person or an employee of a company. */
export const SignerSubjectSchema = z.enum(['individual', 'legal_entity', 'any']);
export type SignerSubject = z.infer<typeof SignerSubjectSchema>;

/**
 * Who may sign for the company:
 * - `first_head`: the first head only (EKU 1.2.398.3.3.4.1.2.1);
 * - `sign_right`: a person with the right to sign only (1.2.398.3.3.4.1.2.2);
 * - `head_or_sign_right`: either of them — anyone empowered to sign a company's act;
 * - `any`: no role check.
 */
export const SignerRoleSchema = z.enum(['first_head', 'sign_right', 'head_or_sign_right', 'any']);
export type SignerRole = z.infer<typeof SignerRoleSchema>;

const twelveDigits = z.string().regex(/^\d{12}$/, 'expected 12 digits');

/**
 * Which keys may be chosen. ИИН/БИН are checked for shape only: the НУЦ test identities fail the
 * check-digit rule, and the value here is compared with a verified certificate, never trusted by itself.
 */
export const SignerFilterSchema = z.object({
  purpose: KeyPurposeSchema.default('signature'),
  subject: SignerSubjectSchema.default('any'),
  role: SignerRoleSchema.default('any'),
  iin: twelveDigits.optional(),
  bin: twelveDigits.optional(),
  /** Certificate serial number, hex (as Kalkan/NCALayer print it). */
  serialNumber: z
    .string()
    .regex(/^[0-9A-Fa-f]{1,64}$/)
    .optional(),
  /** Offer keys of the НУЦ **test** CAs (NCALayer `signerParams.chain: []`). Test/demo mode only. */
  allowTestKeys: z.boolean().default(false),
});
export type SignerFilter = z.infer<typeof SignerFilterSchema>;
export type SignerFilterInput = z.input<typeof SignerFilterSchema>;

/** Why a certificate does not fit a signer filter (details of SIGNER_KEY_NOT_ALLOWED). */
export const SignerMismatchSchema = z.enum([
  'not_a_signature_key',
  'not_an_authentication_key',
  'not_an_individual',
  'not_a_legal_entity',
  'not_first_head',
  'no_right_to_sign',
  'iin_differs',
  'bin_differs',
  'serial_differs',
  'test_key',
]);
export type SignerMismatch = z.infer<typeof SignerMismatchSchema>;

/** Each mismatch in plain words, for the user who chose the key. */
export const SIGNER_MISMATCH_TEXT: Record<SignerMismatch, LocalizedText> = {
  not_a_signature_key: {
    ru: 'это ключ для входа, а не для подписи',
    kk: 'бұл қол қою кілті емес, кіру кілті',
    en: 'it is a login key, not a signing key',
  },
  not_an_authentication_key: {
    ru: 'этим ключом нельзя входить в системы',
    kk: 'бұл кілтпен жүйеге кіруге болмайды',
    en: 'it cannot be used to log in',
  },
  not_an_individual: {
    ru: 'ключ выдан сотруднику организации, а нужен ключ физического лица',
    kk: 'кілт ұйым қызметкеріне берілген, ал жеке тұлғаның кілті қажет',
    en: 'it belongs to a company employee; a personal key is required',
  },
  not_a_legal_entity: {
    ru: 'ключ физического лица, а нужен ключ сотрудника организации',
    kk: 'жеке тұлғаның кілті, ал ұйым қызметкерінің кілті қажет',
    en: 'it is a personal key; a company key is required',
  },
  not_first_head: {
    ru: 'владелец ключа — не первый руководитель',
    kk: 'кілт иесі бірінші басшы емес',
    en: 'its holder is not the first head',
  },
  no_right_to_sign: {
    ru: 'у владельца ключа нет права подписи за организацию',
    kk: 'кілт иесінің ұйым атынан қол қою құқығы жоқ',
    en: 'its holder has no right to sign for the company',
  },
  iin_differs: { ru: 'в сертификате другой ИИН', kk: 'сертификатта басқа ЖСН', en: 'the certificate has another IIN' },
  bin_differs: { ru: 'в сертификате другой БИН', kk: 'сертификатта басқа БСН', en: 'the certificate has another BIN' },
  serial_differs: {
    ru: 'это не тот сертификат, что был выбран',
    kk: 'бұл таңдалған сертификат емес',
    en: 'it is not the certificate that was chosen',
  },
  test_key: {
    ru: 'это тестовый ключ НУЦ, а нужен боевой',
    kk: 'бұл ҰКО тестілік кілті, ал нақты кілт қажет',
    en: 'it is a НУЦ test key; a production key is required',
  },
};

/** The filter that accepts any signature key. */
export const ANY_SIGNATURE_KEY: SignerFilter = SignerFilterSchema.parse({});

/** `kense sign --signer head|right-to-sign|any` → role. `right-to-sign` includes the first head, who always may sign. */
export const CLI_SIGNER_ROLES = {
  head: 'first_head',
  'right-to-sign': 'head_or_sign_right',
  any: 'any',
} as const satisfies Record<string, SignerRole>;

/** Key storages NCALayer knows (NCALAYER_AND_PKI.md §3). PKCS12 is a file; the rest are hardware tokens. */
export const NcaStorageSchema = z.enum([
  'PKCS12',
  'JKS',
  'AKKaztokenStore',
  'AKKZIDCardStore',
  'AKEToken72KStore',
  'AKEToken5110Store',
  'AKJaCartaStore',
  'AKAKEYStore',
]);
export type NcaStorage = z.infer<typeof NcaStorageSchema>;
export const ALL_NCA_STORAGES: readonly NcaStorage[] = NcaStorageSchema.options;

/** What the UI may show about a key (never key material, never a password). */
export const SignerKeySummarySchema = z.object({
  /** SKI hex = p12 localKeyID = NCALayer alias, when known. */
  alias: z.string().optional(),
  /** Path of the .p12 for the bundled signer (remembered by the app; the password never is). */
  keyPath: z.string().optional(),
  storage: z.string().optional(),
  commonName: z.string().optional(),
  iin: z.string().optional(),
  bin: z.string().optional(),
  organization: z.string().optional(),
  serialNumber: z.string(),
  subjectType: z.enum(['individual', 'legal_entity', 'unknown']),
  roles: z.array(z.string()),
  canSign: z.boolean(),
  canAuthenticate: z.boolean(),
  keyAlgorithm: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  issuerCommonName: z.string().optional(),
  /** Issued by a НУЦ test CA. */
  test: z.boolean(),
});
export type SignerKeySummary = z.infer<typeof SignerKeySummarySchema>;

/** The signer settings the app remembers between runs. */
export const SignerSettingsSchema = z.object({
  via: SignerKindSchema.default('ncalayer'),
  /** Last used .p12 path for the bundled signer. */
  p12Path: z.string().optional(),
  ncalayerUrl: z.string().url().default('wss://127.0.0.1:13579'),
  /** SHA-256 fingerprints of NCALayer TLS certificates the user accepted once (trust on first use), by URL. */
  pinnedTls: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)).default({}),
});
export type SignerSettings = z.infer<typeof SignerSettingsSchema>;
