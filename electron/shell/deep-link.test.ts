import { describe, expect, it } from 'vitest';
import { PendingDeepLink, deepLinkFromArgv, parseDeepLink } from './deep-link';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('kense:// links', () => {
  it.each([
    [`kense://document/act/${ID}`, { kind: 'document', ref: { kind: 'act', id: ID } }],
    [`kense://document/service_act/${ID}/`, { kind: 'document', ref: { kind: 'service_act', id: ID } }],
    [`KENSE://document/reconciliation/${ID.toUpperCase()}`, { kind: 'document', ref: { kind: 'reconciliation', id: ID } }],
    ['kense://open', { kind: 'open' }],
    ['kense://open/', { kind: 'open' }],
  ])('opens %s', (url, link) => expect(parseDeepLink(url)).toEqual(link));

  it.each([
    `kense://document/invoice/${ID}`,
    'kense://document/act/123',
    `kense://document/act/${ID}/extra`,
    `kense://document/act/${ID}?x=1`,
    `kense://document/act/${ID}#x`,
    `kense://user:pw@document/act/${ID}`,
    `kense://document:80/act/${ID}`,
    `kense://document/../act/${ID}`,
    `kense://document/act/${ID} --gpu-launcher=calc.exe`,
    `kense://document/act\\${ID}`,
    'kense://settings',
    `https://kense.app/document/act/${ID}`,
    `kense://document/act/${ID}`.padEnd(400, 'a'),
    '',
    7,
  ])('refuses %s', (url) => expect(parseDeepLink(url)).toBeNull());

  it('finds the link in a second instance’s command line and ignores switches', () => {
    expect(deepLinkFromArgv(['C:\\Program Files\\Kense Office\\Kense Office.exe', '--allow-file-access-from-files', `kense://document/act/${ID}`])).toEqual({
      kind: 'document',
      ref: { kind: 'act', id: ID },
    });
    expect(deepLinkFromArgv(['/opt/kense/kense-office', 'kense://bad', `kense://document/act/${ID}`])).toMatchObject({ kind: 'document' });
    expect(deepLinkFromArgv(['/opt/kense/kense-office', '--inspect=9229'])).toBeNull();
  });

  it('keeps only the latest pending link', () => {
    const p = new PendingDeepLink();
    p.put({ kind: 'open' });
    p.put({ kind: 'document', ref: { kind: 'act', id: ID } });
    expect(p.take()).toEqual({ kind: 'document', ref: { kind: 'act', id: ID } });
    expect(p.take()).toBeNull();
  });
});
