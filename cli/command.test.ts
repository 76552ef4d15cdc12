import { describe, expect, it } from 'vitest';
import { KenseError } from '../contract/errors';
import { printError } from './command';

const capture = () => {
  let text = '';
  return { stream: { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream, text: () => text };
};

describe('printError', () => {
  it('names each invalid field with its problem (a terminal has no marked fields)', () => {
    const out = capture();
    printError(new KenseError('INVALID_INPUT', { status: 400, fields: [{ path: 'body.iin', message: 'IIN: the first digits are not a possible date' }] }), { stderr: out.stream, locale: 'en' });
    expect(out.text()).toContain('error INVALID_INPUT');
    expect(out.text()).toContain('  body.iin: IIN: the first digits are not a possible date');
  });
  it('an unexpected error is INTERNAL without its stack', () => {
    const out = capture();
    printError(new Error('boom at /secret/path'), { stderr: out.stream, locale: 'ru' });
    expect(out.text()).toMatch(/^error INTERNAL: /);
    expect(out.text()).not.toContain('boom');
  });
});
