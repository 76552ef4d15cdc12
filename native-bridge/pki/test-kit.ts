// Test helpers shared by the PKI tests: where the НУЦ РК test material is, reading it, and what a call
// threw (the code of a typed error, or the crash a test must never see). Tests only.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, vi } from 'vitest';
import { isKenseError } from '../../contract/errors';
import { parseCertificate } from './certificate';
import { openP12 } from './p12';

/** resources/test-pki: a copy of the НУЦ РК test material; every .p12 password is Qwerty12. */
export const TEST_PKI = path.resolve(import.meta.dirname, '../../resources/test-pki');
export const TEST_PASSWORD = 'Qwerty12';

/** A moment inside the validity of the test certificates (2026-05-08 … 2027-05-08) and of the test CRL (… 2027-02-07). */
export const TEST_MATERIAL_TIME = new Date('2026-11-25T12:00:00Z');

/**
 * For test files that sign "now" with the test keys and expect a valid verdict: Date is pinned to
 * TEST_MATERIAL_TIME (timers stay real), so they do not start failing when the material expires.
 * Call it right after the imports, before anything reads the clock.
 */
export function pinClockToTestMaterial(): void {
  vi.useFakeTimers({ toFake: ['Date'], now: TEST_MATERIAL_TIME });
  afterAll(() => vi.useRealTimers());
}

export const testFile = (rel: string): string => path.join(TEST_PKI, rel);
export const readTest = (rel: string): Uint8Array => new Uint8Array(readFileSync(testFile(rel)));
export const testCert = (rel: string) => parseCertificate(readTest(rel));
export const testP12 = (rel: string, password = TEST_PASSWORD) => openP12(readTest(rel), password);

/** Every file under `dir` (absolute, or relative to the test material) whose name ends with `ext`, sorted. */
export function filesUnder(dir: string, ext: string): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((n) => {
      const p = path.join(d, n);
      return statSync(p).isDirectory() ? walk(p) : n.endsWith(ext) ? [p] : [];
    });
  return walk(path.resolve(TEST_PKI, dir)).sort();
}

/** 'ok', the code of the KenseError thrown, or `crash: …` for anything else. */
export function codeOf(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    return isKenseError(e) ? e.code : `crash: ${String(e)}`;
  }
}
