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

export const zCertLoginRequest = z.object({
  cms: zBase64.meta({ description: 'DER CMS SignedData, attached, over the nonce’s UTF-8 bytes' }),
  device: zDevice,
  companyId: zId.optional().meta({ description: 'Needed only when an individual certificate belongs to users of several companies' }),
});

/** The ИИН is checked by the server (the rule, or the НУЦ test identities when the test PKI is trusted). */
export const zPasswordLoginRequest = z.object({
  iin: zIdentity12,
  password: z.string().min(1).max(200),
  totp: z.string().regex(/^\d{6}$/).optional(),
  device: zDevice,
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
});

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
