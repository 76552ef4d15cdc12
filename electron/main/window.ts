// The office window: sandboxed, isolated, placed where the user left it. The caller loads app://kense into it once it
// knows the window (main's IPC guard accepts calls only from a window it knows).
import { BrowserWindow, screen } from 'electron';
import { MIN_WINDOW, placeWindow, type WindowStateFile } from '../shell/window-state';

export async function createOfficeWindow(o: { preload: string; state: WindowStateFile; title: string; icon?: string }): Promise<BrowserWindow> {
  const saved = await o.state.load();
  const place = placeWindow(saved, screen.getAllDisplays().map((d) => d.workArea), screen.getPrimaryDisplay().workArea);
  const win = new BrowserWindow({
    ...place.bounds,
    minWidth: MIN_WINDOW.width,
    minHeight: MIN_WINDOW.height,
    show: false,
    title: o.title,
    backgroundColor: '#f6f7f9',
    ...(o.icon ? { icon: o.icon } : {}),
    // Electron's security checklist, written out where Electron reads it (and where the scanner in CI looks).
    webPreferences: {
      preload: o.preload, // eng-disable PRELOAD_JS_CHECK — reviewed: electron/preload exposes only window.kense {invoke, subscribe} (api.test.ts), sandboxed
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // A middle click must not open anything (new windows are refused anyway).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (place.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  const remember = () => {
    if (!win.isDestroyed() && !win.isMinimized() && !win.isFullScreen()) o.state.schedule({ bounds: win.getNormalBounds(), maximized: win.isMaximized() });
  };
  win.on('resize', remember);
  win.on('move', remember);
  win.on('maximize', remember);
  win.on('unmaximize', remember);
  win.on('close', () => {
    remember();
    void o.state.flush();
  });
  return win;
}

export function focus(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
