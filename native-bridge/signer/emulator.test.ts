// The emulator's own pieces: its TLS identity (created once, reused, leaf renewed near expiry) and the
// exact wire shapes it answers with, seen from a raw WebSocket.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKenseError } from '../../contract/errors';
import { startTestEmulator, tempTlsIdentity } from '../ncalayer/test-kit';
import { LEAF_VALIDITY_DAYS, ensureEmulatorTls, type EmulatorTlsIdentity } from './emulator-tls';

const DAY = 86_400_000;

describe('emulator TLS identity', () => {
  it('first run creates a CA and a 127.0.0.1 leaf (≤ 398 days); later runs reuse them; the leaf is renewed near expiry', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kense-emu-tls-'));
    const now = new Date('2026-11-25T00:00:00Z');
    const a = ensureEmulatorTls(dir, now);
    expect(a.created).toEqual({ ca: true, leaf: true });
    const leaf = new X509Certificate(a.certPem);
    const ca = new X509Certificate(a.caPem);
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(ca.ca).toBe(true);
    const days = (new Date(leaf.validTo).getTime() - new Date(leaf.validFrom).getTime()) / DAY;
    expect(days).toBeLessThanOrEqual(398);
    expect(Math.round(days)).toBe(LEAF_VALIDITY_DAYS);
    expect(statSync(path.join(dir, 'server.key')).mode & 0o077).toBe(0);
    const b = ensureEmulatorTls(dir, new Date(now.getTime() + 100 * DAY));
    expect(b.created).toEqual({ ca: false, leaf: false });
    expect(b.certPem).toBe(a.certPem);
    const c = ensureEmulatorTls(dir, new Date(now.getTime() + 380 * DAY));
    expect(c.created).toEqual({ ca: false, leaf: true });
    expect(c.caPem).toBe(a.caPem);
    expect(new X509Certificate(c.certPem).checkIssued(ca)).toBe(true);
  });
});

describe('wire shapes', () => {
  let id: EmulatorTlsIdentity;
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let ws: WebSocket;
  const inbox: string[] = [];
  const waiters: ((s: string) => void)[] = [];
  const next = () => new Promise<string>((r) => (inbox.length ? r(inbox.shift() as string) : waiters.push(r)));
  const ask = async (msg: unknown) => {
    ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
    return JSON.parse(await next()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    id = tempTlsIdentity();
    emu = await startTestEmulator(id, { version: '1.3' });
    ws = new WebSocket(emu.url, { ca: id.caPem });
    ws.on('message', (d) => {
      const s = d.toString();
      const w = waiters.shift();
      if (w) w(s);
      else inbox.push(s);
    });
    await new Promise((r) => ws.once('open', r));
  });
  afterAll(async () => {
    ws.close();
    await emu.close();
  });

  it('a port already taken → EMULATOR_PORT_IN_USE, not an unhandled error event', async () => {
    const e = await startTestEmulator(id, { port: emu.port }).catch((x: unknown) => x);
    expect(isKenseError(e, 'EMULATOR_PORT_IN_USE')).toBe(true);
  });

  it('greets, echoes heartbeats, and answers unknown modules and unparsable requests as NCALayer does', async () => {
    expect(JSON.parse(await next())).toEqual({ result: { version: '1.3' } });
    ws.send('--heartbeat--');
    expect(await next()).toBe('--heartbeat--');
    expect(await ask({ module: 'kz.digiflow.mobile.extensions', method: 'getVersion' })).toEqual({ success: false, errorCode: 'MODULE_NOT_FOUND' });
    expect(await ask('}{')).toEqual({ success: false, code: 'COMMON_JSON_WRAPPING_EXCEPTION' });
  });

  it('commonUtils: code as a string, uuid echoed, documented failure messages', async () => {
    const m = 'kz.gov.pki.knca.commonUtils';
    expect(await ask({ module: m, method: 'getActiveTokens', args: [], uuid: 'u-1' })).toEqual({ code: '200', responseObject: [], uuid: 'u-1' });
    expect(await ask({ module: m, method: 'changeLocale', args: ['kk'] })).toEqual({ code: '200' });
    expect(await ask({ module: m, method: 'nope', args: [] })).toEqual({ code: '500', message: 'NoSuchMethodException nope' });
    expect(await ask({ module: m, method: 'createCAdESFromBase64', args: ['PKCS12', 'SIGNATURE', 5, true] })).toEqual({
      code: '500',
      message: 'java.lang.IllegalArgumentException: argument type mismatch. Method: createCAdESFromBase64',
    });
    expect(await ask({ module: m, method: 'createCAdESFromBase64', args: ['AKJaCartaStore', 'SIGNATURE', 'AA==', true] })).toEqual({ code: '500', message: 'storage.empty' });
    const ok = await ask({ module: m, method: 'createCAdESFromBase64', args: ['PKCS12', 'SIGNATURE', 'AAEC', true], uuid: 'u-2' });
    expect(ok.code).toBe('200');
    expect(ok.uuid).toBe('u-2');
    expect(typeof ok.responseObject).toBe('string');
  });

  it('basics: string in → string out, array in → array out, outputCert → {signatures, certificate}, bad params → INVALID_SIGNING_PARAMS, TSA → failure', async () => {
    const base = { module: 'kz.gov.pki.knca.basics', method: 'sign' };
    const args = { allowedStorages: ['PKCS12'], format: 'cms', signingParams: { decode: true, encapsulate: true }, signerParams: { extKeyUsageOids: ['1.3.6.1.5.5.7.3.4'], chain: [] }, locale: 'ru' };
    const one = (await ask({ ...base, args: { ...args, data: 'AAEC' } })) as { status: boolean; body: { result: unknown } };
    expect(one.status).toBe(true);
    expect(typeof one.body.result).toBe('string');
    const many = (await ask({ ...base, args: { ...args, data: ['AAEC', 'AwQF'] } })) as { body: { result: unknown[] } };
    expect(many.body.result).toHaveLength(2);
    const withCert = (await ask({ ...base, args: { ...args, data: ['AAEC'], signingParams: { ...args.signingParams, outputCert: true } } })) as {
      body: { result: { signatures: string[]; certificate: string } };
    };
    expect(withCert.body.result.signatures).toHaveLength(1);
    expect(withCert.body.result.certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(await ask({ ...base, args: { ...args, format: 'pdf', data: 'AA==' } })).toMatchObject({ status: false, code: 'INVALID_SIGNING_PARAMS' });
    expect(await ask({ ...base, args: { ...args, data: '***' } })).toMatchObject({ status: false, code: 'INVALID_SIGNING_PARAMS' });
    expect(await ask({ ...base, args: { ...args, data: 'AA==', signingParams: { tsaProfile: {} } } })).toMatchObject({ status: false, code: 'SIGNING_FAILURE' });
    expect(await ask({ ...base, method: 'other', args })).toMatchObject({ status: false, code: 'GENERAL_ERROR' });
  });
});
