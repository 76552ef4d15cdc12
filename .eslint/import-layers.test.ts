// The layer rule must fail forbidden arrows and pass allowed ones (ESLint run on in-memory files).
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function problems(file: string, code: string): Promise<string[]> {
  const [res] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return res.messages.filter((m) => m.ruleId === 'kense/import-layers').map((m) => m.message);
}

describe('kense/import-layers', () => {
  it.each([
    ['contract/x.ts', "import { y } from '../native-bridge/pki/der';"],
    ['contract/x.ts', "import fs from 'node:fs';"],
    ['contract/x.ts', "import Fastify from 'fastify';"],
    ['native-bridge/pki/x.ts', "import { app } from 'electron';"],
    ['native-bridge/pki/x.ts', "import { s } from '../../electron/core/store';"],
    ['native-bridge/pki/x.ts', "import { s } from '../../cloud/src/server';"],
    ['electron/core/x.ts', "import { app } from 'electron';"],
    ['electron/core/x.ts', "import { r } from '../../renderer/app';"],
    ['renderer/x.ts', "import { s } from '../electron/core/store';"],
    ['renderer/x.ts', "import fs from 'node:fs';"],
    ['cloud/src/x.ts', "import { c } from '../../native-bridge/ncalayer/client';"],
    ['cloud/src/x.ts', "import { c } from '../../electron/core/store';"],
    ['electron/main/x.ts', "import { s } from '../core/store';"],
    ['electron/shell/x.ts', "import { app } from 'electron';"],
    ['electron/shell/x.ts', "import type { App } from 'electron';"],
    ['electron/shell/x.ts', "import { s } from '../core/store';"],
    ['electron/shell/x.ts', "import { m } from '../main/main';"],
    ['electron/preload/x.ts', "import { u } from '../shell/updater';"],
    ['electron/utility/x.ts', "import { app } from 'electron';"],
    ['electron/utility/x.ts', "import { m } from '../main/main';"],
    ['electron/main/x.ts', "import { c } from '../utility/core-process';"],
  ])('%s: rejects %s', async (file, code) => {
    expect((await problems(file, code)).length).toBe(1);
  });

  it.each([
    ['contract/x.ts', "import { z } from 'zod';"],
    ['native-bridge/ncalayer/x.ts', "import { KenseError } from '../../contract/errors';"],
    ['native-bridge/ncalayer/x.ts', "import { parseAsn1 } from '../pki/der';"],
    ['electron/core/x.ts', "import { verifyCms } from '../../native-bridge/pki';"],
    ['electron/main/x.ts', "import { app } from 'electron';"],
    ['electron/main/x.ts', "import { u } from '../shell/updater';"],
    ['electron/shell/x.ts', "import { parseCall } from '../../contract/ipc';"],
    ['electron/shell/x.ts', "import { NsisUpdater } from 'electron-updater';"],
    ['electron/utility/x.ts', "import { openCore } from '../core';"],
    ['electron/utility/x.ts', "import { remoteKeyVault } from '../shell/vault-channel';"],
    ['cloud/src/x.ts', "import { verifyCms } from '../../native-bridge/pki';"],
    ['cli/commands/x.ts', "import { s } from '../../cloud/src/server';"],
    ['renderer/x.ts', "import { ERRORS } from '../contract/errors';"],
  ])('%s: allows %s', async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});
