// The window comes back where the user left it — unless that place is no longer on any screen (a monitor unplugged,
// resolution changed), then it is centred on the primary display. Stored as a small JSON file in userData.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const MIN_WINDOW = { width: 960, height: 640 } as const;
export const DEFAULT_WINDOW = { width: 1280, height: 820 } as const;
/** How much of the title-bar area must be on a screen for the saved place to count as reachable. */
const VISIBLE_MIN = { width: 160, height: 48 } as const;

const zInt = z.number().int().min(-100_000).max(100_000);
const zWindowState = z.object({
  bounds: z.object({ x: zInt, y: zInt, width: zInt.min(1), height: zInt.min(1) }),
  maximized: z.boolean(),
});

function overlap(a: Rect, b: Rect): Rect {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  return { x, y, width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - x), height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - y) };
}

/** Where to open the window, given what was saved (or nothing) and the work areas of the displays now attached. */
export function placeWindow(saved: WindowState | null, workAreas: readonly Rect[], primary: Rect): WindowState {
  const centred = (w: number, h: number): Rect => {
    const width = Math.max(MIN_WINDOW.width, Math.min(w, primary.width));
    const height = Math.max(MIN_WINDOW.height, Math.min(h, primary.height));
    return { x: primary.x + Math.round((primary.width - width) / 2), y: primary.y + Math.round((primary.height - height) / 2), width, height };
  };
  if (!saved) return { bounds: centred(DEFAULT_WINDOW.width, DEFAULT_WINDOW.height), maximized: false };
  const b = saved.bounds;
  const titleBar: Rect = { x: b.x, y: b.y, width: b.width, height: Math.min(b.height, VISIBLE_MIN.height) };
  const reachable = workAreas.some((area) => {
    const o = overlap(titleBar, area);
    return o.width >= Math.min(VISIBLE_MIN.width, b.width) && o.height >= Math.min(VISIBLE_MIN.height, b.height);
  });
  if (!reachable) return { bounds: centred(b.width, b.height), maximized: saved.maximized };
  return { bounds: { ...b, width: Math.max(MIN_WINDOW.width, b.width), height: Math.max(MIN_WINDOW.height, b.height) }, maximized: saved.maximized };
}

export class WindowStateFile {
  private timer: NodeJS.Timeout | null = null;
  private pending: WindowState | null = null;

  constructor(
    readonly file: string,
    private readonly delayMs = 500,
  ) {}

  /** The saved state, or null when there is none or it is not ours (then the default place is used). */
  async load(): Promise<WindowState | null> {
    try {
      const parsed = zWindowState.safeParse(JSON.parse(await fs.readFile(this.file, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** Saves after the moves/resizes settle. */
  schedule(state: WindowState): void {
    this.pending = state;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
    this.timer.unref?.();
  }

  /** Writes what is pending now (on close/quit). Atomic: a crash never leaves half a file. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const state = this.pending;
    this.pending = null;
    if (!state) return;
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(state));
    await fs.rename(tmp, this.file);
  }
}
