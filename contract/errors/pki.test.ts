import { describe, expect, it } from 'vitest';
import { LOCALES } from './types';
import { PKI_ERRORS, VERIFICATION_REASONS } from './pki';

describe('verification reasons', () => {
  it('every reason says what it means and what to do in ru, kk and en', () => {
    for (const [code, spec] of Object.entries(VERIFICATION_REASONS)) {
      for (const l of LOCALES) {
        expect(spec.message[l].trim().length, `${code}.message.${l}`).toBeGreaterThan(10);
        expect(spec.action[l].trim().length, `${code}.action.${l}`).toBeGreaterThan(10);
      }
    }
  });

  it('the Kazakh and Russian texts are not English left untranslated', () => {
    for (const spec of [...Object.values(VERIFICATION_REASONS), ...Object.values(PKI_ERRORS)]) {
      expect(spec.message.ru).not.toBe(spec.message.en);
      expect(spec.message.kk).not.toBe(spec.message.en);
      expect(spec.message.kk).not.toBe(spec.message.ru);
    }
  });

  it('an empty trust store is explained as exactly that, not as a bad signature', () => {
    expect(VERIFICATION_REASONS.TRUST_STORE_EMPTY.message.en).toMatch(/empty/);
    expect(VERIFICATION_REASONS.TRUST_STORE_EMPTY.message.ru).toMatch(/пусто/);
    expect(VERIFICATION_REASONS.TRUST_STORE_EMPTY.message.kk).toMatch(/бос/);
  });
});
