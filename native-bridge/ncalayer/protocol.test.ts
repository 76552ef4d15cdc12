// Replays the exchange examples of NCALAYER_AND_PKI.md §1–3 against the builders and parsers.
import { describe, expect, it } from 'vitest';
import { SignerFilterSchema } from '../../contract/signing';
import {
  buildBasicsSign,
  buildCommonUtils,
  decodeCmsText,
  filterEkuOids,
  parseBasicsReply,
  parseCommonUtilsReply,
  parseGreeting,
  parseKaztokenVersion,
  parseKeyInfo,
  parseNcaDate,
} from './protocol';

const f = (x: object = {}) => SignerFilterSchema.parse(x);

describe('greeting', () => {
  it.each(['1.2', '1.3', '1.4', '1.5', '2.0.1'])('accepts {"result":{"version":"%s"}} (unknown newer versions too)', (v) => {
    expect(parseGreeting(`{"result":{"version":"${v}"}}`)).toEqual({ version: v });
  });
  it('accepts a version sent as a number', () => {
    expect(parseGreeting('{"result":{"version":1.4}}')).toEqual({ version: '1.4' });
  });
  it.each(['', 'hello', '{"result":{}}', '{"version":"1.4"}', '{"result":{"version":""}}', '[1]', '--heartbeat--'])('refuses %j', (t) => {
    expect(parseGreeting(t)).toBeNull();
  });
});

describe('basics.sign request (§2 example, field by field)', () => {
  const req = buildBasicsSign({
    format: 'cms',
    data: ['AAEC', 'AwQF'],
    attached: false,
    filter: f({ purpose: 'signature', iin: '123456789011', bin: '123456789021', serialNumber: '303EEBDF' }),
    locale: 'ru',
  }) as { module: string; method: string; args: Record<string, unknown> };

  it('module, method and every args field', () => {
    expect(req.module).toBe('kz.gov.pki.knca.basics');
    expect(req.method).toBe('sign');
    expect(Object.keys(req.args).sort()).toEqual(['allowedStorages', 'data', 'format', 'locale', 'signerParams', 'signingParams']);
    expect(req.args.allowedStorages).toEqual([
      'PKCS12',
      'JKS',
      'AKKaztokenStore',
      'AKKZIDCardStore',
      'AKEToken72KStore',
      'AKEToken5110Store',
      'AKJaCartaStore',
      'AKAKEYStore',
    ]);
    expect(req.args.format).toBe('cms');
    expect(req.args.data).toEqual(['AAEC', 'AwQF']);
    expect(req.args.signingParams).toEqual({ decode: true, encapsulate: false, digested: false });
    expect(req.args.signerParams).toEqual({
      extKeyUsageOids: ['1.3.6.1.5.5.7.3.4'],
      iin: '123456789011',
      bin: '123456789021',
      serialNumber: '303EEBDF',
      chain: null,
    });
    expect(req.args.locale).toBe('ru');
  });

  it('one document goes as a string; test keys ask for chain []; a timestamp adds tsaProfile {}', () => {
    const one = buildBasicsSign({ format: 'cms', data: ['AA=='], filter: f({ allowTestKeys: true }), timestamp: true }) as { args: Record<string, Record<string, unknown>> };
    expect(one.args.data).toBe('AA==');
    expect(one.args.signerParams.chain).toEqual([]);
    expect(one.args.signingParams).toEqual({ decode: true, encapsulate: true, digested: false, tsaProfile: {} });
    expect(one.args.locale).toBe('ru');
  });

  it('XML sends the texts as they are', () => {
    const x = buildBasicsSign({ format: 'xml', data: ['<a/>'], filter: f() }) as { args: Record<string, unknown> };
    expect(x.args.format).toBe('xml');
    expect(x.args.data).toBe('<a/>');
    expect(x.args.signingParams).toEqual({});
  });

  it.each([
    [{}, ['1.3.6.1.5.5.7.3.4']],
    [{ purpose: 'authentication' }, []],
    [{ subject: 'individual' }, ['1.3.6.1.5.5.7.3.4', '1.2.398.3.3.4.1.1']],
    [{ role: 'first_head' }, ['1.3.6.1.5.5.7.3.4', '1.2.398.3.3.4.1.2', '1.2.398.3.3.4.1.2.1']],
    [{ role: 'sign_right' }, ['1.3.6.1.5.5.7.3.4', '1.2.398.3.3.4.1.2', '1.2.398.3.3.4.1.2.2']],
    [{ role: 'head_or_sign_right' }, ['1.3.6.1.5.5.7.3.4', '1.2.398.3.3.4.1.2']],
    [{ subject: 'legal_entity' }, ['1.3.6.1.5.5.7.3.4', '1.2.398.3.3.4.1.2']],
  ])('filter %j → extKeyUsageOids %j', (filter, oids) => {
    expect(filterEkuOids(f(filter))).toEqual(oids);
  });
});

describe('basics replies (§2, every documented shape)', () => {
  it('result as array, string, {signatures,certificate}', () => {
    expect(parseBasicsReply(JSON.parse('{"status":true,"body":{"result":["MIIK1","MIIK2"]}}'))).toEqual({ kind: 'signed', results: ['MIIK1', 'MIIK2'] });
    expect(parseBasicsReply(JSON.parse('{"status":true,"body":{"result":"MIIK"}}'))).toEqual({ kind: 'signed', results: ['MIIK'] });
    expect(
      parseBasicsReply(JSON.parse('{"status":true,"body":{"result":{"signatures":["s"],"certificate":"-----BEGIN CERTIFICATE-----x"}}}')),
    ).toEqual({ kind: 'signed', results: ['s'], certificatePem: '-----BEGIN CERTIFICATE-----x' });
  });
  it('cancel is {"status":true,"body":{}}', () => {
    expect(parseBasicsReply({ status: true, body: {} })).toEqual({ kind: 'cancelled' });
  });
  it.each(['INVOCATION_ERROR', 'INVALID_SIGNING_PARAMS', 'SIGNING_FAILURE', 'GENERAL_ERROR'])('failure %s', (code) => {
    expect(parseBasicsReply({ status: false, code, message: 'm', details: 'd' })).toEqual({ kind: 'failed', code, message: 'm' });
  });
  it('MODULE_NOT_FOUND and the unparsable-request reply', () => {
    expect(parseBasicsReply({ success: false, errorCode: 'MODULE_NOT_FOUND' })).toEqual({ kind: 'module_not_found' });
    expect(parseBasicsReply({ success: false, code: 'COMMON_JSON_WRAPPING_EXCEPTION' })).toEqual({ kind: 'failed', code: 'COMMON_JSON_WRAPPING_EXCEPTION' });
  });
  it.each([null, 1, 'x', [], {}, { status: 'true' }, { status: true }, { status: true, body: { result: 5 } }])('malformed %j', (v) => {
    expect(parseBasicsReply(v).kind).toBe('malformed');
  });
});

describe('commonUtils (§3)', () => {
  it('envelope with uuid', () => {
    expect(buildCommonUtils('createCAdESFromBase64', ['PKCS12', 'SIGNATURE', 'AA==', true], 'u-1')).toEqual({
      module: 'kz.gov.pki.knca.commonUtils',
      method: 'createCAdESFromBase64',
      args: ['PKCS12', 'SIGNATURE', 'AA==', true],
      uuid: 'u-1',
    });
  });
  it('success with code as string or number, cancel, failures', () => {
    expect(parseCommonUtilsReply({ code: '200', responseObject: [] })).toEqual({ kind: 'ok', value: [] });
    expect(parseCommonUtilsReply({ code: 200, responseObject: 'x', uuid: 'u' })).toEqual({ kind: 'ok', value: 'x', uuid: 'u' });
    expect(parseCommonUtilsReply({ code: '500', message: 'action.canceled' })).toEqual({ kind: 'cancelled' });
    expect(parseCommonUtilsReply({ code: '500', message: 'storage.empty' })).toEqual({ kind: 'failed', code: '500', message: 'storage.empty' });
    expect(parseCommonUtilsReply({ success: false, errorCode: 'MODULE_NOT_FOUND' })).toEqual({ kind: 'module_not_found' });
    expect(parseCommonUtilsReply({ responseObject: 1 }).kind).toBe('malformed');
  });
  it('getKeyInfo with both date styles', () => {
    const k = parseKeyInfo({ alias: 'ab', certNotBefore: '1600000000000', certNotAfter: '01.02.2027 10:00:00', subjectCn: 'ТЕСТОВ ТЕСТ', extra: 1 });
    expect(k?.certNotBefore?.toISOString()).toBe('2020-09-13T12:26:40.000Z');
    expect(k?.certNotAfter?.toISOString()).toBe('2027-02-01T05:00:00.000Z');
    expect(k?.subjectCn).toBe('ТЕСТОВ ТЕСТ');
    expect(parseKeyInfo('x')).toBeNull();
    expect(parseNcaDate('garbage')).toBeUndefined();
  });
  it('KAZTOKEN getVersion', () => {
    expect(parseKaztokenVersion({ code: '200', responseObject: { name: 'KAZTOKENdesktop', version: '2.0.1' } })).toEqual({ name: 'KAZTOKENdesktop', version: '2.0.1' });
    expect(parseKaztokenVersion({ success: false, errorCode: 'MODULE_NOT_FOUND' })).toBeNull();
  });
});

describe('CMS text', () => {
  it('bare base64 and PEM armour with \\r\\n decode to the same bytes', () => {
    const der = Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x05]);
    const b64 = Buffer.from(der).toString('base64');
    expect(decodeCmsText(b64)).toEqual(der);
    expect(decodeCmsText(`-----BEGIN CMS-----\r\n${b64}\r\n-----END CMS-----\r\n`)).toEqual(der);
    expect(decodeCmsText('not base64!')).toBeNull();
    expect(decodeCmsText('')).toBeNull();
  });
});
