// Kense Office's Electron main process: thin glue from Electron's APIs to electron/shell, where every decision
// lives and is tested in Node. Bundled to out/main/main.mjs by build/bundle-electron.mjs.
import {
  app, dialog, ipcMain, Menu, nativeImage, Notification, safeStorage, shell, Tray, type BrowserWindow, type MenuItemConstructorOptions, type OpenDialogOptions, type SaveDialogOptions,
} from 'electron';
import log from 'electron-log/main';
import { autoUpdater } from 'electron-updater';
import path from 'node:path';
import {
  IPC_CHANNELS, createDispatcher, createEventHub, createKenseClient, errorResult, type EventName, type IpcTransport, type PlatformOperationName,
} from '../../contract/ipc';
import { KenseError, type Locale } from '../../contract/errors';
import { UPDATE_CHECK_EVERY_MS, desktopConfig, localeFromSystem } from '../shell/app-config';
import { BusyState } from '../shell/busy';
import { CoreSupervisor } from '../shell/core-supervisor';
import { PendingDeepLink, deepLinkFromArgv, parseDeepLink, type DeepLink } from '../shell/deep-link';
import { createIpcGuard } from '../shell/ipc-guard';
import { createIpcRelay, forwardCoreEvents } from '../shell/ipc-relay';
import { KeychainKeyVault } from '../shell/keychain-vault';
import { installLogRedaction } from '../shell/log-redaction';
import { applicationMenu, trayMenu, trayTitle, trayTooltip, type MenuItemSpec } from '../shell/menu';
import { NotificationLedger, kazakhstanToday, noticeFromServer, noticesFromHome, shouldShow, type DesktopNotice } from '../shell/notifications';
import { KEY_FILE_EXTENSIONS, safeFileName, writeChosenFile } from '../shell/platform-files';
import { createQuitGate } from '../shell/quit';
import { text } from '../shell/texts';
import { UpdateController, type UpdateState } from '../shell/updater/controller';
import { WindowStateFile } from '../shell/window-state';
import { spawnCore } from './core-process';
import { APP_ENTRY_URL } from '../shell/app-protocol';
import { afterReady, beforeReady, openExternalSafely } from './hardening';
import { createOfficeWindow, focus } from './window';

// ── logging: a file in the user's log folder, nothing secret in it ─────────────────────────────────
installLogRedaction(log);
log.transports.file.level = 'info';
log.transports.console.level = app.isPackaged ? false : 'info';
log.errorHandler.startCatching({ showDialog: false });
const say = (m: string) => log.info(m);

const HERE = import.meta.dirname;
const config = desktopConfig(process.env, { isPackaged: app.isPackaged });
config.ignored.forEach((i) => log.warn(`configuration ignored: ${i}`));

// Before anything reads it (and before the single-instance lock, which lives in this folder).
if (config.userDataDir) app.setPath('userData', config.userDataDir);
beforeReady();
if (!app.requestSingleInstanceLock()) {
  // Another copy runs: it gets our command line (a kense:// link) through second-instance.
  app.quit();
} else {
  void start();
}

async function start(): Promise<void> {
  let win: BrowserWindow | null = null;
  let tray: Tray | null = null;
  let locale: Locale = localeFromSystem(app.getLocale());
  let desktopNotifications = true;
  let pending = 0;
  let online = false;
  let update: UpdateState = { phase: 'idle' };
  const busy = new BusyState();
  const links = new PendingDeepLink();
  let supervisor: CoreSupervisor | null = null;
  // The office has made its first call: its client (and its event subscriptions) exist. Links wait until then.
  let rendererReady = false;
  let windowOpening: Promise<void> | null = null;
  const events = createEventHub({ onUnexpected: (e, err) => log.warn(`core event ${e} not delivered: ${(err as Error)?.message}`) });

  // kense:// links: macOS sends open-url (also before ready); Windows/Linux start a second instance with the link.
  const openLink = (link: DeepLink | null) => {
    if (!link) return;
    showWindow();
    if (link.kind === 'document') {
      if (win && rendererReady && supervisor?.transport) sendToWindow('app.openDocument', link.ref);
      else links.put(link);
    }
  };
  app.on('open-url', (event, url) => {
    event.preventDefault();
    openLink(parseDeepLink(url));
  });
  app.on('second-instance', (_event, argv) => openLink(deepLinkFromArgv(argv)));
  // kense:// is registered by the installers (build/installer.nsh on Windows, Info.plist on macOS, the AppImage's
  // .desktop file), not at run time: one declared place, removed on uninstall.

  await app.whenReady();
  const userData = app.getPath('userData');
  afterReady({ rendererRoot: path.join(HERE, '..', 'renderer'), log: (m) => log.warn(m) });

  // ── core in its utility process, the keychain vault in main ────────────────────────────────────
  const vault = new KeychainKeyVault(path.join(userData, 'keys'), safeStorage);
  const resources = app.isPackaged ? path.join(process.resourcesPath, 'resources') : path.join(app.getAppPath(), 'resources');
  const sup = new CoreSupervisor({
    spawn: () =>
      spawnCore({
        entry: path.join(HERE, '..', 'utility', 'core.mjs'),
        start: {
          type: 'core.start',
          config: {
            dataDir: path.join(userData, 'profiles'),
            cloudUrl: config.cloudUrl,
            ncalayer: config.ncalayer,
            keyDirs: config.keyDirs,
            testTrust: config.testTrust,
            locale,
            appVersion: app.getVersion(),
            platform: process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'macos' : process.platform === 'linux' ? 'linux' : 'other',
          },
        },
        env: { ...process.env, KENSE_RESOURCES: resources },
        log: (l) => log.scope('core').info(l),
      }),
    vault,
    log: (m) => log.warn(m),
    onConnected: (transport) => {
      forwardCoreEvents(transport, (event, payload) => {
        sendToWindow(event, payload);
        events.emit(event, payload as never);
      });
      void refreshFromCore();
      // After a restart: a link that came while core was down (the first start flushes on the office's first call).
      if (rendererReady) setImmediate(() => openLink(links.take()));
    },
    onRestart: (info) => {
      const error = info.gaveUp ? errorResult(new KenseError('CORE_FAILED'), locale) : null;
      sendToWindow('app.coreRestarted', { restarts: Math.max(1, info.restarts), gaveUp: info.gaveUp, error: error && !error.ok ? error.error : null });
    },
  });
  supervisor = sup;
  const coreTransport: IpcTransport = {
    invoke: (op, input) => sup.transport?.invoke(op, input) ?? Promise.resolve(errorResult(new KenseError('CORE_RESTARTING'), locale)),
    subscribe: (event, listener) => events.on(event as EventName, listener as never),
  };
  const core = createKenseClient(coreTransport, { locale: () => locale });
  sup.start();

  function sendToWindow(event: EventName, payload: unknown): void {
    if (win && !win.isDestroyed()) win.webContents.send(IPC_CHANNELS.event, { event, payload });
  }

  // ── what main itself follows of core: busy (updater, quit), pending count (tray), language, notifications ──
  events.on('app.busy', (b) => busy.set(b));
  events.on('sync.status', (s) => {
    pending = s.pendingMutations;
    online = s.online;
    refreshTray();
  });
  events.on('data.changed', (d) => {
    if (d.entities.includes('settings')) void refreshFromCore();
  });
  events.on('session.changed', () => void refreshFromCore());
  events.on('notification', (n) => {
    const notice = noticeFromServer(n);
    if (notice) void notify(notice);
  });

  async function refreshFromCore(): Promise<void> {
    try {
      const settings = await core.invoke('settings.get');
      locale = settings.language;
      desktopNotifications = settings.desktopNotifications;
      const status = await core.invoke('sync.status');
      pending = status.pendingMutations;
      online = status.online;
    } catch (e) {
      log.warn(`could not read settings from core: ${(e as Error)?.message}`);
    }
    refreshMenus();
  }

  // ── platform operations (native dialogs) and the one IPC entry ────────────────────────────────
  const platform = createDispatcher<PlatformOperationName>(
    {
      'signer.chooseKeyFile': async ({ defaultPath }) => {
        const options: OpenDialogOptions = { properties: ['openFile'], ...(defaultPath ? { defaultPath } : {}), filters: [{ name: 'ЭЦП', extensions: [...KEY_FILE_EXTENSIONS] }] };
        const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
        return { path: r.canceled ? null : (r.filePaths[0] ?? null) };
      },
      'files.save': async ({ suggestedName, contentBase64 }) => {
        const options: SaveDialogOptions = { defaultPath: path.join(app.getPath('documents'), safeFileName(suggestedName)) };
        const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
        if (r.canceled || !r.filePath) return { path: null };
        await writeChosenFile(r.filePath, contentBase64);
        return { path: r.filePath };
      },
    },
    { locale: () => locale, onUnexpected: (op, e) => log.error(`platform operation ${op} failed`, e) },
  );
  const guard = createIpcGuard({
    isOurWindow: (id) => win !== null && !win.isDestroyed() && win.webContents.id === id,
    locale: () => locale,
    onRefused: (r) => log.warn(`IPC refused: ${JSON.stringify(r)}`),
  });
  const relay = createIpcRelay({
    guard,
    platform,
    core: () => sup.transport,
    locale: () => locale,
    onAccepted: () => {
      if (rendererReady) return;
      rendererReady = true;
      setImmediate(() => openLink(links.take()));
    },
  });
  ipcMain.handle(IPC_CHANNELS.invoke, (event, op: unknown, input: unknown) =>
    relay.invoke({ webContentsId: event.sender.id, frame: event.senderFrame ? { url: event.senderFrame.url, isMainFrame: event.senderFrame.parent === null } : null }, op, input),
  );

  // ── notifications, menus, tray ─────────────────────────────────────────────────────────────────
  const ledger = new NotificationLedger(path.join(userData, 'notified.json'));
  async function notify(n: DesktopNotice): Promise<void> {
    if (!Notification.isSupported() || !shouldShow(n, { enabled: desktopNotifications, windowFocused: !!win?.isFocused() })) return;
    if (!(await ledger.firstTime(n.key))) return;
    const shown = new Notification({ title: n.title, body: n.body });
    shown.on('click', () => openLink(n.open ? { kind: 'document', ref: n.open } : { kind: 'open' }));
    shown.show();
  }
  const remindFromHome = async () => {
    try {
      for (const n of noticesFromHome(await core.invoke('home.get'), kazakhstanToday(new Date()), locale)) await notify(n);
    } catch {
      // Not signed in yet, or core restarting: the next round tries again.
    }
  };
  setInterval(() => void remindFromHome(), 3 * 3600_000).unref();
  setTimeout(() => void remindFromHome(), 60_000).unref();

  const commands: Record<string, () => void> = {
    about: () =>
      void dialog.showMessageBox({ type: 'info', title: text('about', locale), message: `${text('appName', locale)} ${app.getVersion()}`, detail: `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}` }),
    'check-updates': () => void checkUpdatesNow(),
    'restart-to-update': () => void restartToUpdate(),
    'sync-now': () => void core.invoke('sync.now', {}).catch(() => undefined),
    'open-logs': () => void shell.openPath(path.dirname(log.transports.file.getFile().path)),
    help: () => openExternalSafely('https://kense.app/help', (m) => log.warn(m)),
    'show-window': () => showWindow(),
  };
  const toElectron = (items: MenuItemSpec[]): MenuItemConstructorOptions[] =>
    items.map((i) => ({
      ...(i.label ? { label: i.label } : {}),
      ...(i.role ? { role: i.role } : {}),
      ...(i.type ? { type: i.type } : {}),
      ...(i.enabled === false ? { enabled: false } : {}),
      ...(i.command ? { click: commands[i.command] } : {}),
      ...(i.submenu ? { submenu: toElectron(i.submenu) } : {}),
    }));
  function refreshTray(): void {
    if (!tray) return;
    const s = { locale, pending, online, updateReady: update.phase === 'ready' || update.phase === 'waiting' };
    tray.setToolTip(trayTooltip(s));
    if (process.platform === 'darwin') tray.setTitle(trayTitle(s));
    tray.setContextMenu(Menu.buildFromTemplate(toElectron(trayMenu(s))));
  }
  function refreshMenus(): void {
    Menu.setApplicationMenu(Menu.buildFromTemplate(toElectron(applicationMenu({ locale, platform: process.platform, updateReady: update.phase === 'ready' || update.phase === 'waiting' }))));
    refreshTray();
  }

  // ── updates ────────────────────────────────────────────────────────────────────────────────────
  const updaterLog = log.scope('updater');
  const updates = new UpdateController({
    updater: autoUpdater,
    currentVersion: app.getVersion(),
    feedUrl: config.updateFeedUrl,
    channel: async () => (await core.invoke('settings.get').catch(() => null))?.updateChannel ?? null,
    policy: async () => (await core.invoke('app.info')).policy,
    busy,
    askRestart: async ({ version, required }) => {
      const r = await dialog.showMessageBox({
        type: required ? 'warning' : 'info',
        title: text('updateReadyTitle', locale),
        message: text(required ? 'updateRequired' : 'updateReady', locale, { version }),
        buttons: [text('restartNow', locale), text('later', locale)],
        defaultId: 0,
        cancelId: 1,
      });
      return r.response === 0;
    },
    onState: (s) => {
      update = s;
      updaterLog.info(`state: ${JSON.stringify(s)}`);
      refreshMenus();
    },
    log: { info: (m) => updaterLog.info(m), warn: (m) => updaterLog.warn(m), error: (m) => updaterLog.error(m) },
  });
  async function checkUpdatesNow(): Promise<void> {
    const s = await updates.check();
    const message = s.phase === 'current' ? text('upToDate', locale) : s.phase === 'halted' ? text('updateHalted', locale) : s.phase === 'failed' ? text('updateFailed', locale) : null;
    if (message) void dialog.showMessageBox({ type: 'info', title: text('appName', locale), message });
  }
  async function restartToUpdate(): Promise<void> {
    if (updates.restartToUpdate() === 'waiting') void dialog.showMessageBox({ type: 'info', title: text('appName', locale), message: text('updateWaiting', locale) });
  }
  if (config.updateChecks) updates.start(UPDATE_CHECK_EVERY_MS);

  // ── quit: wait briefly for a push, install a downloaded update, stop core cleanly ──────────────
  const quitGate = createQuitGate({ busy, onWait: () => tray?.setToolTip(text('quitWaiting', locale)) });
  let coreStopped = false;
  app.on('before-quit', (event) => {
    if (quitGate.request(() => app.quit()) === 'hold') return event.preventDefault();
    if (coreStopped) return;
    event.preventDefault();
    updates.stop();
    // Core closes its database first; then a downloaded update (if nothing was in flight) installs as we exit.
    void sup.stop().finally(() => {
      coreStopped = true;
      updates.installOnQuit();
      app.quit();
    });
  });
  app.on('window-all-closed', () => {
    // The tray keeps the app (and sync) running on Windows/Linux; macOS apps stay in the dock.
    if (!tray && process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!win || win.isDestroyed()) void openWindow();
  });

  // ── the window and the tray ────────────────────────────────────────────────────────────────────
  const windowState = new WindowStateFile(path.join(userData, 'window-state.json'));
  const icon = (name: string) => nativeImage.createFromPath(path.join(HERE, 'assets', name));
  /** The window, brought forward — or opened again after it was closed to the tray. */
  function showWindow(): void {
    if (win && !win.isDestroyed()) focus(win);
    else if (windowOpening === null && app.isReady()) void openWindow();
  }
  async function openWindow(): Promise<void> {
    windowOpening ??= openWindowNow().finally(() => (windowOpening = null));
    return windowOpening;
  }
  async function openWindowNow(): Promise<void> {
    const created = await createOfficeWindow({ preload: path.join(HERE, '..', 'preload', 'preload.cjs'), state: windowState, title: text('appName', locale), icon: path.join(HERE, 'assets', 'icon.png') });
    win = created;
    created.on('closed', () => {
      if (win === created) win = null;
      rendererReady = false;
    });
    await created.loadURL(APP_ENTRY_URL);
  }
  tray = new Tray(icon(process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png'));
  tray.on('click', () => showWindow());
  refreshMenus();
  await openWindow();
  openLink(deepLinkFromArgv(process.argv));
  say(`Kense Office ${app.getVersion()} started (${config.demo ? 'embedded demo' : 'production'} configuration)`);
}
