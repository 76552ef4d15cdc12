// Electron's security checklist, applied once for the whole app: the app:// scheme, every web contents' navigation,
// new windows and webviews, and the session's permissions, downloads and network (nothing remote is loaded).
import { app, protocol, session, shell, type WebContents } from 'electron';
import { APP_SCHEME, createAppProtocolHandler } from '../shell/app-protocol';
import { allowedExternalUrl } from '../shell/external-links';
import { judgeNavigation, judgePermission, judgeWindowOpen } from '../shell/web-guards';

type Log = (message: string) => void;

/** Before `ready`: app:// is a standard, secure scheme (its own origin, fetch allowed), and every renderer is sandboxed. */
export function beforeReady(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  app.enableSandbox();
}

export function openExternalSafely(url: string, log: Log): void {
  const allowed = allowedExternalUrl(url);
  if (!allowed) return log(`openExternal refused: ${url.slice(0, 200)}`);
  void shell.openExternal(allowed); // eng-disable OPEN_EXTERNAL_JS_CHECK — reviewed: only what allowedExternalUrl passed (https kense.app, pki.gov.kz; mailto kense.app)
}

function guardContents(contents: WebContents, log: Log): void {
  const onNavigate = (event: { preventDefault(): void }, url: string) => {
    const v = judgeNavigation(url);
    if (v.allow) return;
    event.preventDefault();
    log(`navigation refused: ${url.slice(0, 200)}`);
    if (v.openExternal) openExternalSafely(v.openExternal, log);
  };
  contents.on('will-navigate', onNavigate);
  contents.on('will-redirect', onNavigate);
  contents.on('will-frame-navigate', (details) => onNavigate(details, details.url));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('webview refused');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const v = judgeWindowOpen(url);
    if (v.openExternal) openExternalSafely(v.openExternal, log);
    else log(`window.open refused: ${url.slice(0, 200)}`);
    return { action: 'deny' };
  });
}

/** After `ready`: the app:// handler over the built office, and the session's rules. */
export function afterReady(o: { rendererRoot: string; log: Log }): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ root: o.rendererRoot, onRefused: (url, why) => o.log(`app:// refused (${why}): ${url.slice(0, 200)}`) }));
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    const ok = judgePermission(permission, details.requestingUrl, details.isMainFrame);
    if (!ok) o.log(`permission refused: ${permission}`);
    callback(ok);
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => judgePermission(permission, details.requestingUrl ?? requestingOrigin, details.isMainFrame ?? false));
  ses.setDevicePermissionHandler(() => false);
  ses.on('will-download', (event) => {
    event.preventDefault();
    o.log('download refused (files are saved through files.save)');
  });
  // No remote content: whatever the office might try to fetch from the network is cancelled.
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*', 'file://*/*'] }, (details, callback) => {
    o.log(`request refused: ${details.url.slice(0, 200)}`);
    callback({ cancel: true });
  });
  app.on('web-contents-created', (_event, contents) => guardContents(contents, o.log));
}
