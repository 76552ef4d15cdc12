// The operations the window's process answers (contract: handledBy 'platform'), as the headless host does them:
// no native dialogs, so a key file is chosen from the configured folders and saved files go to a downloads folder.
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { KenseError, type Locale } from '../../contract/errors';
import { createDispatcher, type Dispatcher, type PlatformOperationName } from '../../contract/ipc';

export function findKeyFiles(dirs: string[], limit = 200): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 6 || out.length >= limit) return;
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const p = path.join(d, n);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p, depth + 1);
      else if (n.toLowerCase().endsWith('.p12')) out.push(p);
    }
  };
  for (const d of dirs) walk(d, 0);
  return out;
}

/** A name safe in any folder: no separators, no parent references, no control characters. */
export function safeFileName(name: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[:*?"<>|\p{Cc}]+/gu, '_').replace(/^\.+/, '').trim().slice(0, 200);
  return base || 'download';
}

export function platformDispatcher(opts: { downloadsDir: string; keyDirs: string[]; locale(): Locale }): Dispatcher {
  const handlers: { [N in PlatformOperationName]: Parameters<typeof createDispatcher<N>>[0][N] } = {
    'signer.chooseKeyFile': (input) => {
      const files = findKeyFiles(input.defaultPath ? [path.dirname(input.defaultPath), ...opts.keyDirs] : opts.keyDirs);
      return { path: files[0] ?? null };
    },
    'files.save': (input) => {
      mkdirSync(opts.downloadsDir, { recursive: true });
      const name = safeFileName(input.suggestedName);
      const ext = path.extname(name);
      let file = path.join(opts.downloadsDir, name);
      for (let i = 2; existsOrDir(file); i++) file = path.join(opts.downloadsDir, `${path.basename(name, ext)} (${i})${ext}`);
      try {
        writeFileSync(file, Buffer.from(input.contentBase64, 'base64'), { flag: 'wx' });
      } catch (e) {
        throw new KenseError('INTERNAL', { reason: (e as NodeJS.ErrnoException).code ?? 'write failed' });
      }
      return { path: file };
    },
  };
  return createDispatcher(handlers, { locale: opts.locale, onUnexpected: (op, e) => console.error(`kense host: ${op} failed:`, (e as Error)?.message ?? e) });
}

function existsOrDir(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Platform operations here, everything else to core: one dispatcher for the socket. */
export function routeDispatcher(platform: Dispatcher, core: Dispatcher): Dispatcher {
  return {
    handles: (op) => platform.handles(op) || core.handles(op),
    dispatch: (op, input, ctx) => (platform.handles(op) ? platform.dispatch(op, input, ctx) : core.dispatch(op, input, ctx)),
  };
}
