// Runs `kense` in-process for tests, with stdout and stderr captured and a fixed locale.
import { Writable } from 'node:stream';
import type { Locale } from '../../contract/errors';
import { runCli } from '../main';

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => text };
}

export interface KenseRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runKense(args: string[], env: NodeJS.ProcessEnv = {}, locale: Locale = 'en'): Promise<KenseRun> {
  const out = sink();
  const err = sink();
  const code = await runCli(args, { stdout: out.stream, stderr: err.stream, env: { KENSE_LANG: locale, ...env }, locale });
  return { code, stdout: out.text(), stderr: err.text() };
}
