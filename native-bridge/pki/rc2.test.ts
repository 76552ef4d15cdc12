import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromHex, toHex } from './der';
import { rc2CbcDecrypt, rc2CbcEncrypt, rc2DecryptBlock, rc2EncryptBlock, rc2ExpandKey } from './rc2';

// RFC 2268 §5 test vectors: key, effective key bits, plaintext, ciphertext.
const VECTORS: [string, number, string, string][] = [
  ['0000000000000000', 63, '0000000000000000', 'ebb773f993278eff'],
  ['ffffffffffffffff', 64, 'ffffffffffffffff', '278b27e42e2f0d49'],
  ['3000000000000000', 64, '1000000000000001', '30649edf9be7d2c2'],
  ['88', 64, '0000000000000000', '61a8a244adacccf0'],
  ['88bca90e90875a', 64, '0000000000000000', '6ccf4308974c267f'],
  ['88bca90e90875a7f0f79c384627bafb2', 64, '0000000000000000', '1a807d272bbe5db1'],
  ['88bca90e90875a7f0f79c384627bafb2', 128, '0000000000000000', '2269552ab0f85ca6'],
  ['88bca90e90875a7f0f79c384627bafb216f80a6f85920584c42fceb0be255daf1e', 129, '0000000000000000', '5b78d3a43dfff1f1'],
];

describe('RC2 (RFC 2268)', () => {
  it.each(VECTORS)('key %s / %i bits encrypts and decrypts the RFC vector', (key, bits, plain, cipher) => {
    const K = rc2ExpandKey(fromHex(key), bits);
    const out = new Uint8Array(8);
    rc2EncryptBlock(K, fromHex(plain), 0, out, 0);
    expect(toHex(out)).toBe(cipher);
    const back = new Uint8Array(8);
    rc2DecryptBlock(K, out, 0, back, 0);
    expect(toHex(back)).toBe(plain);
  });

  it('CBC round-trips any message and rejects bad padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 5, maxLength: 5 }), fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.uint8Array({ maxLength: 100 }), (key, iv, msg) => {
        const c = rc2CbcEncrypt(key, 40, iv, msg);
        expect(c.length % 8).toBe(0);
        expect(toHex(rc2CbcDecrypt(key, 40, iv, c)!)).toBe(toHex(msg));
      }),
      { numRuns: 50 },
    );
    expect(rc2CbcDecrypt(fromHex('0102030405'), 40, new Uint8Array(8), new Uint8Array(7))).toBeUndefined();
  });
});
