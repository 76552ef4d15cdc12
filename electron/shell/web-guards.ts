// What the window may do on its own: nothing beyond showing the office. Navigation away from app://kense, new
// windows, webviews, downloads and permission requests are refused; a link to an allowed site opens in the
// system browser instead. Electron main calls these from its web-contents handlers.
import { APP_HOST, APP_SCHEME } from './app-protocol';
import { allowedExternalUrl } from './external-links';

export function isAppUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password;
  } catch {
    return false;
  }
}

export interface NavigationVerdict {
  allow: boolean;
  /** An allowed external site: open it in the system browser. */
  openExternal: string | null;
}

/** will-navigate / will-redirect / will-frame-navigate: only our own pages (a reload of the office) stay in the window. */
export function judgeNavigation(url: string): NavigationVerdict {
  if (isAppUrl(url)) return { allow: true, openExternal: null };
  return { allow: false, openExternal: allowedExternalUrl(url) };
}

/** setWindowOpenHandler: never a new Electron window; an allowed link goes to the browser. */
export function judgeWindowOpen(url: string): NavigationVerdict {
  return { allow: false, openExternal: allowedExternalUrl(url) };
}

/**
 * Permission requests and checks. The one exception: writing plain text to the clipboard from our own main frame
 * (the billing screen's "copy ИИК/БИК" buttons use navigator.clipboard.writeText). Reading the clipboard, camera,
 * notifications (main shows native ones), geolocation, … are all refused.
 */
export function judgePermission(permission: string, requestingUrl: string, isMainFrame: boolean): boolean {
  return permission === 'clipboard-sanitized-write' && isMainFrame && isAppUrl(requestingUrl);
}
