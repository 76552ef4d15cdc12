import { describe, expect, it } from 'vitest';
import { Utf8Decoder } from './utf8-worker';

describe('UTF-8 decoding off the event loop', () => {
  it('gives what res.text() gives: the same text for a large answer, a malformed sequence replaced, a BOM dropped; small answers in place', async () => {
    const decoder = new Utf8Decoder(1024);
    const text = JSON.stringify({ changes: Array.from({ length: 500 }, (_, i) => ({ id: i, name: `ТОО «Ақжол» №${i} 💡 "q" \\` })) });
    const bytes = Buffer.from(text);
    expect(await decoder.decode(bytes)).toBe(text);
    const broken = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes.subarray(0, 3000), Buffer.from([0xd0]), Buffer.from('x'.repeat(2000))]);
    const expected = await new Response(broken).text();
    expect(expected).toContain('\ufffd');
    expect(await decoder.decode(broken)).toBe(expected);
    expect(await decoder.decode(Buffer.from('{"a":"Ә"}'))).toBe('{"a":"Ә"}');
    // the caller keeps its bytes (copied to the worker, not transferred)
    expect(bytes.length).toBe(Buffer.byteLength(text));
    decoder.close();
    // a decode after close starts a new worker
    expect(await decoder.decode(bytes)).toBe(text);
    decoder.close();
  });
});
