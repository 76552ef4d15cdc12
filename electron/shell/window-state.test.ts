import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_WINDOW, MIN_WINDOW, WindowStateFile, placeWindow, type Rect } from './window-state';

const primary: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
const second: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('placeWindow', () => {
  it('first start: default size, centred on the primary display', () => {
    expect(placeWindow(null, [primary], primary)).toEqual({
      bounds: { x: (1920 - DEFAULT_WINDOW.width) / 2, y: (1040 - DEFAULT_WINDOW.height) / 2, ...DEFAULT_WINDOW },
      maximized: false,
    });
  });
  it('comes back where it was, maximized or not', () => {
    const saved = { bounds: { x: 2100, y: 80, width: 1400, height: 900 }, maximized: true };
    expect(placeWindow(saved, [primary, second], primary)).toEqual(saved);
  });
  it('a place on an unplugged monitor is centred on the primary display, keeping the size that fits', () => {
    const saved = { bounds: { x: 2100, y: 80, width: 2400, height: 1300 }, maximized: false };
    expect(placeWindow(saved, [primary], primary)).toEqual({ bounds: { x: 0, y: 0, width: 1920, height: 1040 }, maximized: false });
  });
  it('a title bar pushed above the screen is not reachable', () => {
    const saved = { bounds: { x: 100, y: -700, width: 1200, height: 800 }, maximized: false };
    expect(placeWindow(saved, [primary], primary).bounds.y).toBeGreaterThanOrEqual(0);
  });
  it('never smaller than the minimum', () => {
    const saved = { bounds: { x: 10, y: 10, width: 300, height: 200 }, maximized: false };
    expect(placeWindow(saved, [primary], primary).bounds).toMatchObject(MIN_WINDOW);
  });
});

describe('WindowStateFile', () => {
  let dir: string;
  beforeEach(async () => void (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kense-winstate-'))));
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('saves the last state after the moves settle and reads it back', async () => {
    const f = new WindowStateFile(path.join(dir, 'window-state.json'), 20);
    expect(await f.load()).toBeNull();
    f.schedule({ bounds: { x: 1, y: 2, width: 1000, height: 700 }, maximized: false });
    f.schedule({ bounds: { x: 5, y: 6, width: 1100, height: 720 }, maximized: true });
    await new Promise((r) => setTimeout(r, 60));
    expect(await f.load()).toEqual({ bounds: { x: 5, y: 6, width: 1100, height: 720 }, maximized: true });
  });
  it('flush writes at once; a damaged or foreign file is ignored', async () => {
    const file = path.join(dir, 'window-state.json');
    const f = new WindowStateFile(file, 10_000);
    f.schedule({ bounds: { x: 1, y: 2, width: 1000, height: 700 }, maximized: false });
    await f.flush();
    expect(await f.load()).toMatchObject({ maximized: false });
    await fs.writeFile(file, '{"bounds":{"x":"1"}');
    expect(await f.load()).toBeNull();
    await fs.writeFile(file, JSON.stringify({ bounds: { x: 1e9, y: 0, width: 10, height: 10 }, maximized: false }));
    expect(await f.load()).toBeNull();
  });
});
