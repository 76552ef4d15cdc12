// Building blocks of the cloud contract: identifiers, instants with an explicit offset, money in tiyn, roles.
import { z } from 'zod';
import { DATE_MAX, DATE_MIN, isDateInRange, isRealInstant } from './input';

export const zId = z.uuid().meta({ description: 'Server-issued identifier (UUID)' });
/** An instant with an explicit UTC offset; the server always answers with +05:00 (Kazakhstan). */
export const zTimestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/, 'ISO 8601 instant with an explicit offset')
  .refine(isRealInstant, `a real instant (month 1–12, a day of that month, time up to 23:59:59, offset up to ±14:00) between ${DATE_MIN} and ${DATE_MAX}`)
  .meta({ example: '2026-11-25T22:45:00.000+05:00' });
export const zDate = z.iso
  .date()
  .refine(isDateInRange, `a date between ${DATE_MIN} and ${DATE_MAX}`)
  .meta({ description: `Calendar date YYYY-MM-DD (Kazakhstan local), a real one between ${DATE_MIN} and ${DATE_MAX}`, example: '2026-11-25' });
export const zMonth = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
  .refine((m) => isDateInRange(`${m}-01`), `a month between ${DATE_MIN.slice(0, 7)} and ${DATE_MAX.slice(0, 7)}`)
  .meta({ description: 'Month YYYY-MM', example: '2026-11' });
/** Money: integer tiyn (1 ₸ = 100 tiyn); never floating point. */
export const zTiyn = z.int().min(0).max(Number.MAX_SAFE_INTEGER).meta({ description: 'Amount in tiyn (1/100 ₸), integer' });
export const zSignedTiyn = z.int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER).meta({ description: 'Signed amount in tiyn' });
export const zBase64 = z.base64().meta({ description: 'Base64 (standard alphabet) bytes' });
export const zSha256Hex = z.string().regex(/^[0-9a-f]{64}$/).meta({ description: 'SHA-256, lower-case hex' });
export const zVersion = z.int().min(1).meta({ description: 'Row version, incremented on every change' });
/** Serial number of a certificate: upper-case hex as printed by Kalkan/NCALayer. */
export const zCertSerial = z.string().regex(/^[0-9A-Fa-f]{1,64}$/).meta({ example: '303EEBDF17969F3EDEDE9BD9828FB1355AABBE4E' });

export const ROLES = ['first_manager', 'accountant', 'manager', 'viewer'] as const;
export const zRole = z.enum(ROLES).meta({
  description: 'first_manager: everything; accountant: billing, acts, reconciliation; manager: acts and counterparties of their branch; viewer: dashboards',
});
export type Role = z.infer<typeof zRole>;

export const zLocale = z.enum(['ru', 'kk', 'en']);

export const zErrorResponse = z
  .object({
    code: z.string().meta({ description: 'Error code from contract/errors' }),
    message: z.string(),
    action: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Error', description: 'Every error answer: a code, a sentence and an action in the requested language (Accept-Language, default ru)' });
export type ErrorResponse = z.infer<typeof zErrorResponse>;

/** Position after which a page starts: the last id of the previous page (its nextAfter). */
export const zAfter = zId.optional().meta({ description: 'Position from the previous page (nextAfter)' });
export const zPageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: zAfter,
});
export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextAfter: z.string().nullable() });

export const zIdParams = z.object({ id: zId });
/**
 * The id of a thing being created, made by the client once (UUID) and sent again on every retry: the server gives
 * the thing this id and answers a retry with the first answer. Instead, a client may send an Idempotency-Key header.
 */
export const zClientId = z.uuid().optional().meta({ description: 'Made by the client (UUID) once and reused on every retry: the new entity gets this id and a retry answers the first answer (alternative: the Idempotency-Key header)' });
export const zOk = z.object({ ok: z.literal(true) });
