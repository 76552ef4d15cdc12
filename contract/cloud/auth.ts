// Sign-in with a certificate (signed challenge) or ИИН + password (+ TOTP); tokens, sessions, key compromise.
import { z } from 'zod';
import { zIdentity12 } from '../kz-identifiers';
import { zBase64, zCertSerial, zId, zRole, zTimestamp } from './common';
import { zCompany, zUser } from './company';

export const zDevice = z
  .object({
    id: z.string().min(8).max(64).regex(/^[A-Za-z0-9._-]+$/).meta({ description: 'Stable id the app generates once per installation' }),
    name: z.string().min(1).max(100),
    platform: z.enum(['windows', 'macos', 'linux', 'cli', 'other']).default('other'),
    appVersion: z.string().max(40).optional(),
  })
  .meta({ id: 'Device' });

export const zChallengeResponse = z.object({
  nonce: z.string().meta({ description: 'Sign its UTF-8 bytes (attached CMS); single use' }),
  expiresAt: zTimestamp,
});

const zLoginDevice = zDevice.optional().meta({
  description: 'The device the session is for (one session per user and device). Without it the session gets a device of its own, named after the User-Agent',
});

export const zCertLoginRequest = z.object({
  cms: zBase64.meta({ description: 'DER CMS SignedData, attached, over the nonce’s UTF-8 bytes' }),
  device: zLoginDevice,
  companyId: zId.optional().meta({ description: 'Needed only when an individual certificate belongs to users of several companies' }),
});

/** The ИИН is checked by the server (the rule, or the НУЦ test identities when the test PKI is trusted). */
export const zPasswordLoginRequest = z.object({
  iin: zIdentity12,
  password: z.string().min(1).max(200),
  totp: z.string().regex(/^\d{6}$/).optional(),
  device: zLoginDevice,
  companyId: zId.optional().meta({ description: 'Needed only when the ИИН is a user of several companies' }),
});

export const zTokens = z.object({
  accessToken: z.string(),
  accessTokenExpiresAt: zTimestamp,
  refreshToken: z.string(),
  refreshTokenExpiresAt: zTimestamp,
  sessionId: zId,
});

export const zLoginResponse = zTokens.extend({
  user: zUser,
  company: zCompany,
  method: z.enum(['certificate', 'password']),
  passwordExpiresAt: zTimestamp.nullable().meta({ description: 'Periodic change: when the password must be changed (password sign-in only)' }),
  passwordChangeRequired: z.boolean().meta({
    description: 'The password has expired: until it is changed, this session may only change it, read /v1/me, list or end sessions and log out (PASSWORD_EXPIRED otherwise)',
  }),
});

/** Advice shown beside the password form; the server cannot check it (it never learns the egov.kz password). */
export const PASSWORD_WARNINGS = {
  EGOV_PASSWORD_REUSE: {
    ru: 'Не используйте пароль от egov.kz и других сервисов: если он утечёт там, злоумышленник войдёт и сюда.',
    kk: 'egov.kz және басқа қызметтердің құпиясөзін қолданбаңыз: ол сол жақта жария болса, қаскүнем мұнда да кіреді.',
    en: 'Do not reuse your egov.kz password or one from another service: if it leaks there, an attacker gets in here too.',
  },
  TOTP_RECOMMENDED: {
    ru: 'Включите двухфакторный вход (код из приложения-аутентификатора).',
    kk: 'Екі факторлы кіруді қосыңыз (аутентификатор қосымшасындағы код).',
    en: 'Turn on two-factor sign-in (a code from an authenticator app).',
  },
} as const;

export const zPasswordPolicy = z
  .object({
    minLength: z.int().min(8),
    requires: z.array(z.enum(['lower', 'upper', 'digit', 'symbol'])).meta({ description: 'Latin lower and upper case, digits, symbols' }),
    latinOnly: z.boolean(),
    maxAgeDays: z.int().min(1).meta({ description: 'Periodic change: a password older than this must be changed before other work' }),
    lockoutThreshold: z.int().min(1).meta({ description: 'Wrong passwords in a row that lock the account' }),
    lockoutMinutes: z.int().min(1).meta({ description: 'Cool-down after which a locked account opens again (or the first manager unlocks it)' }),
    warnings: z.array(z.object({ code: z.enum(Object.keys(PASSWORD_WARNINGS) as [keyof typeof PASSWORD_WARNINGS]), message: z.string() })).meta({
      description: 'Advice in the Accept-Language locale, e.g. not to reuse the egov.kz password',
    }),
  })
  .meta({ id: 'PasswordPolicy' });

export const zRefreshRequest = z.object({ refreshToken: z.string().min(10).max(200) });

export const zChangePasswordRequest = z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) });
export const zTotpSetupResponse = z.object({ secret: z.string(), otpauthUri: z.string() });
export const zTotpCodeRequest = z.object({ code: z.string().regex(/^\d{6}$/) });

export const zSession = z.object({
  id: zId,
  device: z.object({ id: z.string(), name: z.string(), platform: z.string() }),
  method: z.enum(['certificate', 'password']),
  createdAt: zTimestamp,
  lastSeenAt: zTimestamp,
  ip: z.string(),
  current: z.boolean(),
});

export const zCertificateRecord = z.object({
  serial: zCertSerial,
  userId: zId.nullable(),
  iin: z.string().nullable(),
  bin: z.string().nullable(),
  subject: z.string(),
  notAfter: zTimestamp.nullable(),
  status: z.enum(['active', 'compromised']),
  compromisedAt: zTimestamp.nullable(),
});

export const zCompromiseRequest = z.object({ reason: z.string().max(500).optional() });

export const zMe = z.object({
  user: zUser,
  company: zCompany,
  role: zRole,
  permissions: z.array(z.string()),
});
