import { describe, expect, it } from 'vitest';
import { CLOUD_ERRORS, CLOUD_ERROR_STATUS } from './cloud';
import { COMMON_ERRORS } from './common';
import { PKI_ERRORS } from './pki';
import { NCALAYER_ERRORS } from './ncalayer';

describe('cloud error codes', () => {
  it('no cloud code shadows a code of another area', () => {
    const others = new Set([...Object.keys(COMMON_ERRORS), ...Object.keys(PKI_ERRORS), ...Object.keys(NCALAYER_ERRORS)]);
    expect(Object.keys(CLOUD_ERRORS).filter((c) => others.has(c))).toEqual([]);
  });
  it('every code has an HTTP status', () => {
    for (const code of Object.keys(CLOUD_ERRORS)) expect(CLOUD_ERROR_STATUS[code as keyof typeof CLOUD_ERRORS]).toBeGreaterThanOrEqual(400);
  });
});
