import { describe, expect, it } from 'vitest';
import { ERRORS, KenseError, LOCALES, isKenseError } from './index';

describe('error catalog', () => {
  it('every code has a non-empty message and action in ru, kk and en', () => {
    for (const [code, spec] of Object.entries(ERRORS)) {
      for (const l of LOCALES) {
        expect(spec.message[l].trim().length, `${code}.message.${l}`).toBeGreaterThan(3);
        expect(spec.action[l].trim().length, `${code}.action.${l}`).toBeGreaterThan(3);
      }
    }
  });

  it('codes are SCREAMING_SNAKE_CASE', () => {
    for (const code of Object.keys(ERRORS)) expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
  });

  it('KenseError carries code, localized text and details', () => {
    const e = new KenseError('FILE_NOT_FOUND', { path: 'a.p12' });
    expect(isKenseError(e, 'FILE_NOT_FOUND')).toBe(true);
    expect(isKenseError(new Error('x'))).toBe(false);
    expect(e.toPayload('kk')).toEqual({
      code: 'FILE_NOT_FOUND',
      message: ERRORS.FILE_NOT_FOUND.message.kk,
      action: ERRORS.FILE_NOT_FOUND.action.kk,
      details: { path: 'a.p12' },
    });
  });
});
