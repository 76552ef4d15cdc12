// Who an open profile is: kept in the profile's encrypted database (meta 'profile'), never in a plain file.
import { z } from 'zod';
import { zRole } from '../../contract/cloud';

export const zProfileInfo = z.object({
  cloudUrl: z.string(),
  userId: z.string(),
  userName: z.string(),
  iin: z.string(),
  role: zRole,
  branchId: z.string().nullable(),
  companyId: z.string(),
  companyName: z.string(),
  companyIinBin: z.string(),
  companyKind: z.enum(['legal_entity', 'individual_entrepreneur']),
  /** The cloud's trust mode at sign-in: 'test' means the НУЦ test CAs (demo); production otherwise. */
  trust: z.enum(['production', 'test']),
  method: z.enum(['certificate', 'password']),
  permissions: z.array(z.string()),
  passwordChangeRequired: z.boolean(),
  passwordExpiresAt: z.string().nullable(),
});
export type ProfileInfo = z.infer<typeof zProfileInfo>;
