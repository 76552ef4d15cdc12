// The NCALayer client and signer against the NCALayer emulator over real wss: single and batch CMS,
// armour, XML, cancels in both modules, missing modules, old installs, KAZTOKEN, filters, and
// signatures that must be refused.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKenseError } from '../../contract/errors';
import { createCms, loadTrustStore, openP12, type TrustStore } from '../pki';
import { signXml } from '../xml/dsig';
import type { EmulatorTlsIdentity } from '../signer/emulator-tls';
import { NcaLayerClient } from './client';
import { NcaLayerSigner } from './signer';
import { TEST_KEYS_DIR, codeOf, scriptedPeer, startTestEmulator, tempTlsIdentity, testFilter } from './test-kit';

let id: EmulatorTlsIdentity;
let trust: TrustStore;
const servers: { close(): Promise<void> }[] = [];
const clients: { close(): unknown }[] = [];
beforeAll(() => {
  id = tempTlsIdentity();
  trust = loadTrustStore('test');
});
afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all(servers.map((s) => s.close()));
});

const f = testFilter;
const enc = (s: string) => new TextEncoder().encode(s);
const acts = Array.from({ length: 5 }, (_, i) => enc(`<act n="${i}">Акт выполненных работ №${i}</act>`));

async function emulator(o: Parameters<typeof startTestEmulator>[1] = {}) {
  const s = await startTestEmulator(id, o);
  servers.push(s);
  return s;
}
function signer(url: string, o: Partial<ConstructorParameters<typeof NcaLayerSigner>[0]> = {}) {
  const s = new NcaLayerSigner({ url, tls: { ca: [id.caPem] }, trust, heartbeatIntervalMs: 0, ...o });
  clients.push(s.client);
  return s;
}

describe('basics.sign through the emulator', () => {
  it('single and batch CMS: one request for the batch, every signature verified, signer = the first head', async () => {
    const emu = await emulator();
    const s = signer(emu.url);
    const one = await s.signCms([acts[0]], { filter: f({ role: 'first_head' }) });
    expect(one.signatures).toHaveLength(1);
    expect(one.certificate.roles).toContain('first_head');
    const before = emu.requests.length;
    const batch = await s.signCms(acts, { filter: f({ role: 'first_head' }) });
    expect(batch.signatures).toHaveLength(acts.length);
    expect(emu.requests.length - before).toBe(1);
    const req = emu.requests[emu.requests.length - 1].raw as { args: { data: string[]; signerParams: { chain: unknown } } };
    expect(req.args.data).toHaveLength(5);
    expect(req.args.signerParams.chain).toEqual([]);
    const detached = await s.signCms(acts.slice(0, 2), { filter: f(), detached: true });
    expect(detached.signatures).toHaveLength(2);
  });

  it('on the wire: basics.sign is the §2 request field by field; commonUtils the §3 envelope with a uuid', async () => {
    const emu = await emulator();
    await signer(emu.url, { locale: 'kk' }).signCms(acts.slice(0, 2), { filter: f({ role: 'first_head', iin: '123456789011', bin: '123456789021' }), detached: true });
    expect(emu.requests.map((r) => r.raw)).toEqual([{
      module: 'kz.gov.pki.knca.basics',
      method: 'sign',
      args: {
        allowedStorages: ['PKCS12', 'JKS', 'AKKaztokenStore', 'AKKZIDCardStore', 'AKEToken72KStore', 'AKEToken5110Store', 'AKJaCartaStore', 'AKAKEYStore'],
        format: 'cms',
        data: acts.slice(0, 2).map((a) => Buffer.from(a).toString('base64')),
        signingParams: { decode: true, encapsulate: false, digested: false },
        signerParams: { extKeyUsageOids: ['1.3.6.1.5.5.7.3.4', '1.2.398.3.3.4.1.2', '1.2.398.3.3.4.1.2.1'], iin: '123456789011', bin: '123456789021', chain: [] },
        locale: 'kk',
      },
    }]);
    const old = await emulator({ modules: { basics: false } });
    await signer(old.url).signCms([acts[0]], { filter: f(), detached: true });
    const [, tokens, cades] = old.requests.map((r) => r.raw);
    expect(tokens).toEqual({ module: 'kz.gov.pki.knca.commonUtils', method: 'getActiveTokens', args: [], uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(cades).toEqual({
      module: 'kz.gov.pki.knca.commonUtils',
      method: 'createCAdESFromBase64',
      args: ['PKCS12', 'SIGNATURE', Buffer.from(acts[0]).toString('base64'), false],
      uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('armoured CMS replies (-----BEGIN CMS----- with \\r\\n) are accepted', async () => {
    const emu = await emulator({ armour: true });
    const r = await signer(emu.url).signCms(acts.slice(0, 2), { filter: f() });
    expect(r.signatures[0][0]).toBe(0x30);
  });

  it('XML batch: enveloped signatures verified and the documents unchanged', async () => {
    const emu = await emulator();
    const xmls = ['<act n="1">Қазақстан</act>', '<?xml version="1.0"?>\n<act xmlns="urn:a" n="2"><x/></act>'];
    const r = await signer(emu.url).signXml(xmls, { filter: f() });
    expect(r.signed).toHaveLength(2);
    expect(r.signed[1]).toContain('<ds:Signature');
  });

  it('the filter reaches NCALayer: right to sign picks employee_signright; no test keys for a production-only request', async () => {
    const emu = await emulator();
    const r = await signer(emu.url).signCms([acts[0]], { filter: f({ role: 'sign_right' }) });
    expect(r.certificate.iin).toBe('123456789012');
    expect(r.certificate.roles).toContain('sign_right');
    // "Head or right to sign" reaches NCALayer as "legal entity" only; auto mode picks an empowered key, not employee.p12.
    const either = await signer(emu.url).signCms([acts[0]], { filter: f({ role: 'head_or_sign_right' }) });
    expect(either.certificate.roles.some((x) => x === 'first_head' || x === 'sign_right')).toBe(true);
    const prod = signer(emu.url).signCms([acts[0]], { filter: f({ allowTestKeys: false }) });
    expect(await codeOf(prod)).toBe('NCALAYER_SIGN_FAILED');
    // The emulator in test mode offers test keys anyway; the client still refuses a test key it did not allow.
    const testMode = await emulator({ offerTestKeys: true });
    expect(await codeOf(signer(testMode.url).signCms([acts[0]], { filter: f({ allowTestKeys: false }) }))).toBe('SIGNER_KEY_NOT_ALLOWED');
  });

  it('cancel → SIGN_CANCELLED, in basics and in commonUtils', async () => {
    const emu = await emulator({ approve: 'cancel' });
    const e = await signer(emu.url).signCms([acts[0]], { filter: f() }).catch((x: unknown) => x);
    expect(isKenseError(e, 'SIGN_CANCELLED')).toBe(true);
    expect((e as { details: { by: string } }).details.by).toBe('user');
    const old = await emulator({ approve: 'cancel', modules: { basics: false } });
    expect(await codeOf(signer(old.url).signCms([acts[0]], { filter: f() }))).toBe('SIGN_CANCELLED');
    expect(await codeOf(signer(old.url).signXml(['<a/>', '<b/>'], { filter: f() }))).toBe('SIGN_CANCELLED');
  });
});

describe('old installs and other products', () => {
  it('no basics: falls back to commonUtils (one request per document) and still verifies; refused when legacy is off', async () => {
    const emu = await emulator({ modules: { basics: false }, version: '1.2' });
    const s = signer(emu.url);
    const r = await s.signCms(acts.slice(0, 3), { filter: f() });
    expect(r.signatures).toHaveLength(3);
    const methods = emu.requests.map((q) => `${q.module.split('.').pop()}.${q.method}`);
    expect(methods).toEqual(['basics.sign', 'commonUtils.getActiveTokens', 'commonUtils.createCAdESFromBase64', 'commonUtils.createCAdESFromBase64', 'commonUtils.createCAdESFromBase64']);
    // Learned: the next batch goes straight to commonUtils.
    await s.signCms([acts[0]], { filter: f() });
    expect(emu.requests.filter((q) => q.method === 'sign')).toHaveLength(1);
    const xml = await s.signXml(['<a>1</a>', '<a>2</a>'], { filter: f() });
    expect(xml.signed).toHaveLength(2);
    expect(emu.requests.at(-1)?.method).toBe('signXmls');
    const strict = signer(emu.url, { allowLegacy: false });
    expect(await codeOf(strict.signCms([acts[0]], { filter: f() }))).toBe('NCALAYER_OUTDATED');
  });

  it('wrong module → MODULE_NOT_FOUND, parsed; basics probe; product detection NCALayer vs KAZTOKEN', async () => {
    const emu = await emulator();
    const c = new NcaLayerClient({ url: emu.url, tls: { ca: [id.caPem] }, heartbeatIntervalMs: 0 });
    clients.push(c);
    expect(await c.connection.request({ module: 'kz.gov.pki.knca.nothing', method: 'x' })).toEqual({ success: false, errorCode: 'MODULE_NOT_FOUND' });
    expect(await c.connection.request('{not json')).toEqual({ success: false, code: 'COMMON_JSON_WRAPPING_EXCEPTION' });
    expect(await c.detectProduct()).toEqual({ product: 'NCALayer', version: '1.4' });
    expect(await c.hasBasics()).toBe(true);
    expect(await c.getActiveTokens()).toEqual([]);
    const info = await c.getKeyInfo('PKCS12');
    expect(info.subjectCn).toBeTruthy();
    expect(info.certNotAfter?.getUTCFullYear()).toBeGreaterThanOrEqual(2026);
    expect(await codeOf(c.getKeyInfo('AKKaztokenStore'))).toBe('SIGNER_NO_MATCHING_KEY');
    expect(await codeOf(c.commonUtils('noSuchMethod' as never, []))).toBe('NCALAYER_OUTDATED');
    const old = await emulator({ modules: { basics: false } });
    const oc = new NcaLayerClient({ url: old.url, tls: { ca: [id.caPem] }, heartbeatIntervalMs: 0 });
    clients.push(oc);
    expect(await oc.hasBasics()).toBe(false);
    const kt = await emulator({ product: 'kaztoken', version: '2.1.0' });
    const kc = new NcaLayerClient({ url: kt.url, tls: { ca: [id.caPem] }, heartbeatIntervalMs: 0 });
    clients.push(kc);
    expect(await kc.detectProduct()).toEqual({ product: 'KAZTOKEN', version: '2.1.0', kaztoken: { name: 'KAZTOKENdesktop', version: '2.1.0' } });
  });

  it('the emulator with a CA the client does not trust → NCALAYER_TLS_UNTRUSTED', async () => {
    const emu = await emulator();
    const other = tempTlsIdentity();
    expect(await codeOf(new NcaLayerSigner({ url: emu.url, tls: { ca: [other.caPem] }, trust }).signCms([acts[0]], { filter: f() }))).toBe('NCALAYER_TLS_UNTRUSTED');
  });
});

describe('what comes back is verified before it is returned', () => {
  const head = () => openP12(new Uint8Array(readFileSync(path.join(TEST_KEYS_DIR, 'head.p12'))), 'Qwerty12');

  /** A peer that answers basics.sign with `{"status":true,"body":{"result": result(data)}}`; data as sent (base64 for CMS, text for XML). */
  async function basicsPeer(result: (data: string[]) => unknown) {
    const peer = await scriptedPeer(id, {
      onMessage: (ws, text) => {
        const { data } = (JSON.parse(text) as { args: { data: string | string[] } }).args;
        ws.send(JSON.stringify({ status: true, body: { result: result(typeof data === 'string' ? [data] : data) } }));
      },
    });
    servers.push(peer);
    return peer;
  }
  /** The same for one CMS document: `result(bytes)` answers with one string. */
  const peerReplying = (result: (sent: Uint8Array) => string) => basicsPeer((data) => result(new Uint8Array(Buffer.from(data[0], 'base64'))));
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

  it('a CMS over another document → NCALAYER_BAD_SIGNATURE', async () => {
    const k = head();
    const peer = await peerReplying(() => Buffer.from(createCms({ data: enc('something else'), key: k.key, certificate: k.certificate })).toString('base64'));
    const e = await signer(peer.url).signCms([acts[0]], { filter: f() }).catch((x: unknown) => x);
    expect(isKenseError(e, 'NCALAYER_BAD_SIGNATURE')).toBe(true);
  });

  it('a CMS with a broken signature value → NCALAYER_BAD_SIGNATURE; garbage → NCALAYER_PROTOCOL_ERROR or BAD_SIGNATURE, never a crash', async () => {
    const k = head();
    const peer = await peerReplying((sent) => {
      const cms = createCms({ data: sent, key: k.key, certificate: k.certificate });
      cms[cms.length - 5] ^= 0x01;
      return Buffer.from(cms).toString('base64');
    });
    expect(await codeOf(signer(peer.url).signCms([acts[0]], { filter: f() }))).toBe('NCALAYER_BAD_SIGNATURE');
    const junk = await peerReplying(() => 'MIIBBBBB');
    expect(await codeOf(signer(junk.url).signCms([acts[0]], { filter: f() }))).toBe('NCALAYER_BAD_SIGNATURE');
    const notB64 = await peerReplying(() => '%%%');
    expect(await codeOf(signer(notB64.url).signCms([acts[0]], { filter: f() }))).toBe('NCALAYER_PROTOCOL_ERROR');
  });

  it('a valid signature by a key the filter excludes → SIGNER_KEY_NOT_ALLOWED', async () => {
    const k = head();
    const peer = await peerReplying((sent) => Buffer.from(createCms({ data: sent, key: k.key, certificate: k.certificate })).toString('base64'));
    expect(await codeOf(signer(peer.url).signCms([acts[0]], { filter: f({ iin: '123456789012' }) }))).toBe('SIGNER_KEY_NOT_ALLOWED');
    expect(await codeOf(signer(peer.url).signCms([acts[0]], { filter: f({ iin: '123456789011' }) }))).toBe('resolved');
  });

  it('every documented result shape is accepted: array, {signatures, certificate}, armoured CMS with \\r\\n', async () => {
    const k = head();
    const cms = (data: string[]) => data.map((d) => b64(createCms({ data: Buffer.from(d, 'base64'), key: k.key, certificate: k.certificate })));
    const armour = (t: string) => `-----BEGIN CMS-----\r\n${t.replace(/.{64}/g, '$&\r\n')}\r\n-----END CMS-----\r\n`;
    const shapes = [
      (d: string[]) => cms(d),
      (d: string[]) => ({ signatures: cms(d), certificate: `-----BEGIN CERTIFICATE-----\r\n${b64(k.certificate.der)}\r\n-----END CERTIFICATE-----` }),
      (d: string[]) => cms(d).map(armour),
    ];
    for (const shape of shapes) {
      const peer = await basicsPeer(shape);
      const r = await signer(peer.url).signCms(acts.slice(0, 2), { filter: f() });
      expect(r.signatures).toHaveLength(2);
      expect(r.certificate.serialNumber).toBe(k.certificate.serialNumber);
    }
  });

  it('a reply with fewer or more signatures than documents → NCALAYER_PROTOCOL_ERROR', async () => {
    const k = head();
    const one = (d: string) => b64(createCms({ data: Buffer.from(d, 'base64'), key: k.key, certificate: k.certificate }));
    const fewer = await basicsPeer((d) => [one(d[0])]);
    expect(await codeOf(signer(fewer.url).signCms(acts.slice(0, 3), { filter: f() }))).toBe('NCALAYER_PROTOCOL_ERROR');
    const more = await basicsPeer((d) => [one(d[0]), one(d[0])]);
    expect(await codeOf(signer(more.url).signCms([acts[0]], { filter: f() }))).toBe('NCALAYER_PROTOCOL_ERROR');
  });

  it('XML: a valid signature over another document, or a second signature slipped in → NCALAYER_BAD_SIGNATURE', async () => {
    const k = head();
    const doc = '<act n="1"><sum>1000</sum></act>';
    const changed = await basicsPeer((d) => d.map((x) => signXml(x.replace('1000', '9000'), { key: k.key, certificate: k.certificate })));
    expect(await codeOf(signer(changed.url).signXml([doc], { filter: f() }))).toBe('NCALAYER_BAD_SIGNATURE');
    const twice = await basicsPeer((d) => d.map((x) => signXml(signXml(x, { key: k.key, certificate: k.certificate }), { key: k.key, certificate: k.certificate })));
    expect(await codeOf(signer(twice.url).signXml([doc], { filter: f() }))).toBe('NCALAYER_BAD_SIGNATURE');
    const honest = await basicsPeer((d) => d.map((x) => signXml(x, { key: k.key, certificate: k.certificate })));
    expect(await codeOf(signer(honest.url).signXml([doc], { filter: f() }))).toBe('resolved');
  });

  it('commonUtils: a reply carrying another request\'s uuid → NCALAYER_PROTOCOL_ERROR', async () => {
    const peer = await scriptedPeer(id, { onMessage: (ws) => ws.send('{"code":"200","responseObject":[],"uuid":"not-ours"}') });
    servers.push(peer);
    const c = new NcaLayerClient({ url: peer.url, tls: { ca: [id.caPem] }, heartbeatIntervalMs: 0 });
    clients.push(c);
    expect(await codeOf(c.getActiveTokens())).toBe('NCALAYER_PROTOCOL_ERROR');
  });
});
