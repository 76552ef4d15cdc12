// Companies, branches, users and roles, counterparties.
import { z } from 'zod';
import { zBik, zBranchBin, zIdentity12, zIik, zIin, zIinOrBin, zKbe } from '../kz-identifiers';
import { zAfter, zClientId, zId, zRole, zVersion } from './common';

export const zCompany = z
  .object({
    id: zId,
    version: zVersion,
    name: z.string(),
    iinBin: zIdentity12.meta({ description: 'БИН (ИИН for an individual entrepreneur), as registered' }),
    kind: z.enum(['legal_entity', 'individual_entrepreneur']),
    address: z.string(),
    terminated: z.boolean(),
  })
  .meta({ id: 'Company' });
export type Company = z.infer<typeof zCompany>;

export const zBranch = z
  .object({ id: zId, version: zVersion, name: z.string(), bin: zIdentity12, address: z.string(), blocked: z.boolean() })
  .meta({ id: 'Branch' });
export const zCreateBranchRequest = z.object({ id: zClientId, name: z.string().min(1).max(300), bin: zBranchBin, address: z.string().max(500).default('') });

export const zUser = z
  .object({
    id: zId,
    version: zVersion,
    iin: zIdentity12,
    fullName: z.string(),
    role: zRole,
    branchId: zId.nullable(),
    locked: z.boolean(),
    totpEnabled: z.boolean(),
    terminated: z.boolean(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof zUser>;

export const zCreateUserRequest = z.object({
  id: zClientId,
  iin: zIin,
  fullName: z.string().min(3).max(200),
  role: zRole.exclude(['first_manager']),
  branchId: zId.nullable().default(null),
  initialPassword: z.string().min(1).max(200),
});
export const zChangeRoleRequest = z.object({ role: zRole.exclude(['first_manager']), branchId: zId.nullable(), baseVersion: zVersion.optional() });

export const zBankAccount = z.object({ iik: zIik, bik: zBik, bank: z.string().min(2).max(200) });
export const zCounterparty = z
  .object({
    id: zId,
    version: zVersion,
    branchId: zId.nullable(),
    iinBin: zIdentity12,
    name: z.string(),
    address: z.string(),
    kbe: z.string(),
    account: z.object({ iik: z.string(), bik: z.string(), bank: z.string() }).nullable(),
    email: z.string().nullable(),
  })
  .meta({ id: 'Counterparty' });
export const zCreateCounterpartyRequest = z.object({
  id: zClientId,
  iinBin: zIinOrBin,
  name: z.string().min(2).max(300),
  address: z.string().max(500).default(''),
  kbe: zKbe.default('17'),
  account: zBankAccount.nullable().default(null),
  email: z.email().nullable().default(null),
  branchId: zId.nullable().default(null),
});
export const zCounterpartyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: zAfter,
  iinBin: z.string().regex(/^\d{12}$/).optional(),
});
