import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isKenseError } from '../../contract/errors';
import { ANY_SIGNATURE_KEY } from '../../contract/signing';
import { NcaLayerConnection } from './connection';
import { NcaLayerClient } from './client';
import { MemoryPinStore } from './trust';
import { codeOf, freePort, otherServer, scriptedPeer, silentTcp, tempTlsIdentity } from './test-kit';
import type { EmulatorTlsIdentity } from '../signer/emulator-tls';

let id: EmulatorTlsIdentity;
let other: EmulatorTlsIdentity;
beforeAll(() => {
  id = tempTlsIdentity();
  other = tempTlsIdentity();
});


const trusted = () => ({ ca: [id.caPem] });

/** Polls instead of sleeping a fixed time: timers slip on a loaded CI machine. */
async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('connecting', () => {
  it('refused port → NCALAYER_UNAVAILABLE', async () => {
    const c = new NcaLayerConnection({ url: `wss://127.0.0.1:${await freePort()}`, tls: trusted() });
    expect(await codeOf(c.open())).toBe('NCALAYER_UNAVAILABLE');
  });

  it('reads the greeting version with the CA trusted', async () => {
    const peer = await scriptedPeer(id, { onConnect: (ws) => ws.send('{"result":{"version":"1.3"}}') });
    const c = new NcaLayerConnection({ url: peer.url, tls: trusted() });
    expect(await c.open()).toBe('1.3');
    expect(c.trustedBy).toBe('ca');
    c.close();
    await peer.close();
  });

  it('untrusted certificate → NCALAYER_TLS_UNTRUSTED with the fingerprint, and nothing is sent', async () => {
    const peer = await scriptedPeer(id, {});
    const c = new NcaLayerConnection({ url: peer.url, tls: { ca: [other.caPem] } });
    const err = await c.open().catch((e: unknown) => e);
    expect(isKenseError(err, 'NCALAYER_TLS_UNTRUSTED')).toBe(true);
    expect((err as { details: { fingerprint256: string } }).details.fingerprint256).toMatch(/^[0-9a-f]{64}$/);
    const noCa = new NcaLayerConnection({ url: peer.url });
    expect(await codeOf(noCa.open())).toBe('NCALAYER_TLS_UNTRUSTED');
    expect(peer.received).toEqual([]);
    await peer.close();
  });

  it('trust on first use: asks once, pins, reconnects by pin; a changed certificate is NCALAYER_TLS_PIN_CHANGED', async () => {
    const peer = await scriptedPeer(id, {});
    const pins = new MemoryPinStore();
    const asked: string[] = [];
    const trust = {
      pinStore: pins,
      confirmUnknownCertificate: async (p: { fingerprint256: string }) => {
        asked.push(p.fingerprint256);
        return true;
      },
    };
    const c1 = new NcaLayerConnection({ url: peer.url, tls: trust });
    expect(await c1.open()).toBe('1.4');
    expect(c1.trustedBy).toBe('pin');
    expect(asked).toHaveLength(1);
    expect(pins.get(peer.url)).toBe(asked[0]);
    c1.close();
    const c2 = new NcaLayerConnection({ url: peer.url, tls: trust });
    await c2.open();
    expect(asked).toHaveLength(1);
    c2.close();
    await peer.close();
    // Same URL, another certificate: an error, never a silent re-pin.
    const impostor = await scriptedPeer(other, {});
    pins.set(impostor.url, asked[0]);
    const c3 = new NcaLayerConnection({ url: impostor.url, tls: trust });
    expect(await codeOf(c3.open())).toBe('NCALAYER_TLS_PIN_CHANGED');
    expect(asked).toHaveLength(1);
    await impostor.close();
  });

  it('a pin belongs to the address, not its spelling: wss://127.0.0.1:PORT/ and …PORT are one NCALayer', async () => {
    const peer = await scriptedPeer(id, {});
    const pins = new MemoryPinStore();
    let asked = 0;
    const trust = { pinStore: pins, confirmUnknownCertificate: async () => (asked++, true) };
    const slash = new NcaLayerConnection({ url: `${peer.url}/`, tls: trust });
    expect(await slash.open()).toBe('1.4');
    slash.close();
    const bare = new NcaLayerConnection({ url: peer.url, tls: trust });
    expect(await bare.open()).toBe('1.4');
    expect(bare.trustedBy).toBe('pin');
    expect(asked).toBe(1);
    expect([...pins.pins.keys()]).toEqual([peer.url]);
    bare.close();
    await peer.close();
  });

  it('declined first-use confirmation stays NCALAYER_TLS_UNTRUSTED and pins nothing', async () => {
    const peer = await scriptedPeer(id, {});
    const pins = new MemoryPinStore();
    const c = new NcaLayerConnection({ url: peer.url, tls: { pinStore: pins, confirmUnknownCertificate: async () => false } });
    expect(await codeOf(c.open())).toBe('NCALAYER_TLS_UNTRUSTED');
    expect(pins.pins.size).toBe(0);
    await peer.close();
  });

  it('something else on the port → NCALAYER_NOT_NCALAYER (plain HTTP, HTTPS without WebSocket, silent TCP, wrong greeting, no greeting)', async () => {
    const http = await otherServer('http');
    const https = await otherServer('https', id);
    const silent = await silentTcp();
    const wrong = await scriptedPeer(id, { onConnect: (ws) => ws.send('{"hello":"world"}') });
    const mute = await scriptedPeer(id, { onConnect: () => {} });
    const binary = await scriptedPeer(id, { onConnect: (ws) => ws.send(Buffer.from([1, 2, 3])) });
    for (const url of [http.url, https.url, silent.url, wrong.url, mute.url, binary.url]) {
      const c = new NcaLayerConnection({ url, tls: trusted(), connectTimeoutMs: 800, greetingTimeoutMs: 300 });
      expect(await codeOf(c.open()), url).toBe('NCALAYER_NOT_NCALAYER');
      c.close();
    }
    await Promise.all([http.close(), https.close(), silent.close(), wrong.close(), mute.close(), binary.close()]);
  });
});

describe('requests', () => {
  it('one request in flight, FIFO, replies matched in order', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const peer = await scriptedPeer(id, {
      onMessage: (ws, text) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const n = (JSON.parse(text) as { n: number }).n;
        setTimeout(() => {
          inFlight--;
          ws.send(JSON.stringify({ echo: n }));
        }, 5 * (5 - n));
      },
    });
    const c = new NcaLayerConnection({ url: peer.url, tls: trusted() });
    const replies = await Promise.all([0, 1, 2, 3, 4].map((n) => c.request({ n })));
    expect(replies).toEqual([0, 1, 2, 3, 4].map((n) => ({ echo: n })));
    expect(maxInFlight).toBe(1);
    c.close();
    await peer.close();
  });

  it('malformed reply → NCALAYER_PROTOCOL_ERROR, and the connection keeps working', async () => {
    const peer = await scriptedPeer(id, { onMessage: (ws, _t, i) => ws.send(i === 0 ? 'this is not json' : '{"ok":1}') });
    const c = new NcaLayerConnection({ url: peer.url, tls: trusted() });
    expect(await codeOf(c.request({ a: 1 }))).toBe('NCALAYER_PROTOCOL_ERROR');
    expect(await c.request({ a: 2 })).toEqual({ ok: 1 });
    c.close();
    await peer.close();
  });

  it('a reply over the size limit or a binary frame → NCALAYER_PROTOCOL_ERROR; the next request reconnects', async () => {
    const peer = await scriptedPeer(id, {
      onMessage: (ws, text) => {
        if (text.includes('big')) ws.send(JSON.stringify({ result: 'A'.repeat(5000) }));
        else if (text.includes('binary')) ws.send(Buffer.from('{"ok":1}'));
        else ws.send('{"ok":1}');
      },
    });
    const c = new NcaLayerConnection({ url: peer.url, tls: trusted(), maxMessageBytes: 1000 });
    const big = await c.request({ big: 1 }).catch((e: unknown) => e);
    expect(isKenseError(big, 'NCALAYER_PROTOCOL_ERROR')).toBe(true);
    expect((big as { details: { reason: string } }).details.reason).toBe('reply too large');
    expect(await c.request({ small: 1 })).toEqual({ ok: 1 });
    expect(await codeOf(c.request({ binary: 1 }))).toBe('NCALAYER_PROTOCOL_ERROR');
    expect(await c.request({ small: 2 })).toEqual({ ok: 1 });
    c.close();
    await peer.close();
  });

  it('socket closed mid-request → NCALAYER_CONNECTION_LOST; the next request reconnects', async () => {
    const peer = await scriptedPeer(id, { onMessage: (ws, text) => (text.includes('die') ? ws.terminate() : ws.send('{"fine":true}')) });
    const c = new NcaLayerConnection({ url: peer.url, tls: trusted() });
    expect(await codeOf(c.request({ die: 1 }))).toBe('NCALAYER_CONNECTION_LOST');
    expect(await c.request({ live: 1 })).toEqual({ fine: true });
    c.close();
    await peer.close();
  });

  it('timeout → NCALAYER_TIMEOUT; the late reply cannot answer the next request', async () => {
    const peer = await scriptedPeer(id, {
      onMessage: (ws, text) => {
        const { n } = JSON.parse(text) as { n: number };
        setTimeout(() => ws.readyState === ws.OPEN && ws.send(JSON.stringify({ n })), n === 1 ? 300 : 0);
      },
    });
    const c = new NcaLayerConnection({ url: peer.url, tls: trusted() });
    const err = await c.request({ n: 1 }, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(isKenseError(err, 'NCALAYER_TIMEOUT')).toBe(true);
    expect(await c.request({ n: 2 })).toEqual({ n: 2 });
    await new Promise((r) => setTimeout(r, 300));
    expect(await c.request({ n: 3 })).toEqual({ n: 3 });
    c.close();
    await peer.close();
  });

  it('AbortSignal cancels in flight and in the queue → SIGN_CANCELLED', async () => {
    const peer = await scriptedPeer(id, { onMessage: () => {} });
    const c = new NcaLayerConnection({ url: peer.url, tls: trusted() });
    const ac = new AbortController();
    const first = c.request({ a: 1 }, { signal: ac.signal });
    const second = c.request({ a: 2 }, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    expect(await codeOf(first)).toBe('SIGN_CANCELLED');
    expect(await codeOf(second)).toBe('SIGN_CANCELLED');
    expect(await codeOf(c.request({ a: 3 }, { signal: AbortSignal.abort() }))).toBe('SIGN_CANCELLED');
    c.close();
    await peer.close();
  });

  it('heartbeat: echoed when idle; a peer that stops echoing is dropped and reconnected', async () => {
    let echo = true;
    const peer = await scriptedPeer(id, { onMessage: (ws, text) => (text === '--heartbeat--' ? echo && ws.send(text) : ws.send('{"r":1}')) });
    const events: string[] = [];
    const c = new NcaLayerConnection({
      url: peer.url,
      tls: trusted(),
      heartbeatIntervalMs: 40,
      heartbeatTimeoutMs: 60,
      reconnect: { initialDelayMs: 20 },
      onEvent: (e) => events.push(e.type),
    });
    await c.open();
    await waitFor(() => peer.received.filter((t) => t === '--heartbeat--').length >= 2);
    expect(events).not.toContain('heartbeat_lost');
    echo = false;
    await waitFor(() => events.filter((e) => e === 'open').length >= 2);
    expect(events).toContain('heartbeat_lost');
    expect(events).toContain('reconnect_scheduled');
    echo = true;
    expect(await c.request({ q: 1 })).toEqual({ r: 1 });
    c.close();
    await peer.close();
  });
});

describe('random replies never crash the client', () => {
  it('any frame as a reply to basics.sign and commonUtils ends in a result or a typed error', async () => {
    let nextReply: string = '{}';
    const peer = await scriptedPeer(id, { onMessage: (ws) => ws.send(nextReply) });
    const client = new NcaLayerClient({ url: peer.url, tls: trusted(), heartbeatIntervalMs: 0 });
    const frame = fc.oneof(
      fc.json(),
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify({ status: true, body: { result: v } })),
      fc.jsonValue().map((v) => JSON.stringify({ status: false, code: v, message: v })),
      fc.jsonValue().map((v) => JSON.stringify({ code: v, responseObject: v, uuid: v })),
      fc.constantFrom('{"success":false,"errorCode":"MODULE_NOT_FOUND"}', '{"status":true,"body":{}}', '{"code":"500","message":"action.canceled"}'),
    );
    await fc.assert(
      fc.asyncProperty(frame, fc.boolean(), async (reply, basics) => {
        nextReply = reply;
        const doc = new TextEncoder().encode('act');
        const p = basics
          ? client.signCms([doc], { filter: ANY_SIGNATURE_KEY, legacyStorage: 'PKCS12' })
          : client.getActiveTokens();
        try {
          await p;
        } catch (e) {
          if (!isKenseError(e)) throw e;
        }
      }),
      { numRuns: 150 },
    );
    client.close();
    await peer.close();
  });
});
