// Validation shared by the HTTP layer and the import worker: zod issues and input problems as field entries
// {path, problem?, message} in the caller's language, and large bodies validated row by row in slices.
import { z } from 'zod';
import type { Locale } from '../../../contract/errors';
import { identifierIssue, identifierMessage } from '../../../contract/kz-identifiers';
import { inputProblemMessage } from '../../../contract/cloud/input';
import type { BodyProblem } from './json-body';
import { Slicer } from '../slicer';

/** One entry per field that did not pass; typed-in identifiers (ИИН, БИН, ИИК, БИК …) are explained in the caller's language. */
export function fieldsOf(e: z.ZodError, where: string, locale: Locale) {
  return e.issues.map((i) => {
    const path = [where, ...i.path.map(String)].join('.');
    const id = i.code === 'custom' ? identifierIssue(i.params) : null;
    return id ? { path, message: identifierMessage(id.identifier, id.problem, locale), problem: id.problem } : { path, message: i.message };
  });
}

/** Field problems of the input checks (text, depth, UTF-8) in the caller's language. */
export function problemFields(problems: BodyProblem[], locale: Locale) {
  return problems.map((p) => ({ path: p.path.join('.'), problem: p.problem, message: inputProblemMessage(p.problem, locale) }));
}

/** Issues with a path prefix (zod issues of one field or one row of a large body). */
type Issue = z.core.$ZodIssue;
const prefixed = (issues: readonly Issue[], prefix: PropertyKey[]): Issue[] => issues.map((i) => ({ ...i, path: [...prefix, ...i.path] }) as Issue);

/** Rows of an array longer than this are validated in slices (the event loop is handed back between them). */
const SLICED_ROWS = 256;
const MAX_ISSUES = 20;

/**
 * A large body validated field by field and its long arrays row by row, yielding between slices: the same answer
 * as `schema.safeParse`, for an object schema of plain fields (no object-level refinements).
 */
export async function safeParseSliced(schema: z.ZodType, value: unknown): Promise<{ success: true; data: unknown } | { success: false; error: z.ZodError }> {
  const plain = schema instanceof z.ZodObject && !schema._zod.def.checks?.length && !schema._zod.def.catchall;
  if (!plain || value === null || typeof value !== 'object' || Array.isArray(value)) return schema.safeParse(value);
  const slicer = new Slicer();
  const issues: Issue[] = [];
  const data: Record<string, unknown> = {};
  for (const [key, field] of Object.entries((schema as z.ZodObject).shape) as [string, z.ZodType][]) {
    const v = (value as Record<string, unknown>)[key];
    if (field instanceof z.ZodArray && Array.isArray(v) && v.length > SLICED_ROWS) {
      const length = z.array(z.unknown()).check(...((field._zod.def.checks ?? []) as z.core.$ZodCheck<unknown[]>[])).safeParse(v);
      if (!length.success) {
        issues.push(...prefixed(length.error.issues, [key]));
        continue;
      }
      const rows: unknown[] = new Array(v.length);
      for (let i = 0; i < v.length && issues.length < MAX_ISSUES; i++) {
        const r = (field.element as z.ZodType).safeParse(v[i]);
        if (r.success) rows[i] = r.data;
        else issues.push(...prefixed(r.error.issues, [key, i]));
        if ((i & 63) === 63) await slicer.step();
      }
      data[key] = rows;
    } else {
      const r = field.safeParse(v);
      if (r.success) {
        if (r.data !== undefined || key in (value as object)) data[key] = r.data;
      } else issues.push(...prefixed(r.error.issues, [key]));
    }
    if (issues.length >= MAX_ISSUES) break;
    await slicer.step();
  }
  if (issues.length) return { success: false, error: new z.ZodError(issues.slice(0, MAX_ISSUES)) };
  return { success: true, data };
}
