// The desktop app itself in Electron (Playwright's _electron): it starts, the office window shows app://kense with
// the sign-in screen, the page has window.kense and nothing of Node, core answers through main's guard, it closes. Runs wherever an Electron binary
// exists; on the development machines there is none (TOOLCHAIN.md), so it reports itself skipped with the reason —
// it never points Playwright at another Chromium (that crashes the runner).
import { _electron as electron, expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findElectronBinary } from '../build/electron-binary.mjs';

const root = path.resolve(import.meta.dirname, '..');
const binary = findElectronBinary();

test.describe('desktop app (Electron)', () => {
  test.skip(!('path' in binary), 'reason' in binary ? binary.reason : '');
  if ('reason' in binary) console.log(`electron-smoke: skipped — ${binary.reason}`);

  test('launches, renders the sign-in screen from app://, exposes only window.kense, closes', async () => {
    if (!('path' in binary)) return;
    // The bundles the app runs (the renderer is built by the e2e step; bundling takes a second or two).
    if (!existsSync(path.join(root, 'out', 'main', 'main.mjs'))) {
      const r = spawnSync(process.execPath, [path.join(root, 'build', 'bundle-electron.mjs')], { cwd: root, stdio: 'inherit' });
      expect(r.status, 'npm run build:electron').toBe(0);
    }
    const profile = mkdtempSync(path.join(os.tmpdir(), 'kense-electron-smoke-'));
    const app = await electron.launch({
      executablePath: binary.path,
      args: [root],
      // A fresh profile, no update checks, no cloud: the app must still open (offline start).
      env: { ...process.env, KENSE_USER_DATA: profile, KENSE_UPDATES: 'off', ELECTRON_ENABLE_LOGGING: '1' },
      timeout: 60_000,
    });
    try {
      const win = await app.firstWindow();
      await expect(win).toHaveURL(/^app:\/\/kense\//);
      await expect(win.getByTestId('tab-key')).toBeVisible({ timeout: 60_000 });
      const exposed = await win.evaluate(() => ({
        kense: Object.keys((window as unknown as { kense?: object }).kense ?? {}).sort(),
        node: typeof (globalThis as { require?: unknown }).require !== 'undefined' || typeof (globalThis as { process?: unknown }).process !== 'undefined',
      }));
      expect(exposed).toEqual({ kense: ['invoke', 'subscribe'], node: false });
      // The whole chain: preload → main's guard → core in its utility process, and a refusal by the guard.
      const calls = await win.evaluate(async () => {
        const api = (window as unknown as { kense: { invoke(op: string, input: unknown): Promise<{ ok: boolean; error?: { code: string } }> } }).kense;
        return { status: await api.invoke('session.status', {}), unknown: await api.invoke('fs.readFile', { path: '/etc/passwd' }) };
      });
      expect(calls.status.ok).toBe(true);
      expect(calls.unknown).toMatchObject({ ok: false, error: { code: 'IPC_UNKNOWN_OPERATION' } });
    } finally {
      await app.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
