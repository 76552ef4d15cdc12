// How the desktop app is configured: from the environment (npm start's embedded demo, support, CI) over safe
// defaults. Only http(s) cloud and update URLs and a wss NCALayer URL are taken; anything else is ignored with a reason.
import path from 'node:path';

export const DEFAULT_UPDATE_FEED = 'https://updates.kense.app/desktop/';
export const UPDATE_CHECK_EVERY_MS = 4 * 3600_000;

export interface DesktopConfig {
  /** The cloud to use when the user has not chosen one (core's settings win once set). null: core's default. */
  cloudUrl: string | null;
  updateFeedUrl: string;
  /** Check for updates (packaged builds, unless KENSE_UPDATES=off). */
  updateChecks: boolean;
  ncalayer: { url: string; caFile: string | null } | null;
  /** Accept НУЦ РК test certificates: only the embedded demo (KENSE_DEMO=1). */
  testTrust: boolean;
  keyDirs: string[];
  demo: boolean;
  /** A profile folder other than the OS default (KENSE_USER_DATA: tests, support, a second profile). */
  userDataDir: string | null;
  /** Settings that were present but refused (logged at start). */
  ignored: string[];
}

function url(value: string | undefined, protocols: string[], name: string, ignored: string[]): string | null {
  if (!value) return null;
  try {
    const u = new URL(value);
    if (protocols.includes(u.protocol) && !u.username && !u.password) return u.href.replace(/\/$/, '');
  } catch {
    // fall through
  }
  ignored.push(`${name}: not a ${protocols.join('/')} URL`);
  return null;
}

export function desktopConfig(env: NodeJS.ProcessEnv, o: { isPackaged: boolean }): DesktopConfig {
  const ignored: string[] = [];
  const demo = env.KENSE_DEMO === '1';
  const feed = url(env.KENSE_UPDATE_URL, ['https:', 'http:'], 'KENSE_UPDATE_URL', ignored);
  const ncalayerUrl = url(env.KENSE_NCALAYER_URL, ['wss:'], 'KENSE_NCALAYER_URL', ignored);
  const keyDirs = (env.KENSE_KEY_DIRS ?? '').split(path.delimiter).filter((d) => d && path.isAbsolute(d));
  if (env.KENSE_KEY_DIRS && keyDirs.length === 0) ignored.push('KENSE_KEY_DIRS: no absolute folder');
  const userDataDir = env.KENSE_USER_DATA && path.isAbsolute(env.KENSE_USER_DATA) ? env.KENSE_USER_DATA : null;
  if (env.KENSE_USER_DATA && !userDataDir) ignored.push('KENSE_USER_DATA: not an absolute folder');
  return {
    cloudUrl: url(env.KENSE_CLOUD_URL, ['https:', 'http:'], 'KENSE_CLOUD_URL', ignored),
    // The generic provider appends file names: keep the trailing slash.
    updateFeedUrl: feed ? `${feed}/` : DEFAULT_UPDATE_FEED,
    updateChecks: o.isPackaged && env.KENSE_UPDATES !== 'off',
    ncalayer: ncalayerUrl ? { url: ncalayerUrl, caFile: env.KENSE_NCALAYER_CA && path.isAbsolute(env.KENSE_NCALAYER_CA) ? env.KENSE_NCALAYER_CA : null } : null,
    testTrust: demo,
    keyDirs,
    demo,
    userDataDir,
    ignored,
  };
}

/** ru/kk/en from the OS locale (Kazakh for kk-*, English for en-*, Russian otherwise — the default of the office). */
export function localeFromSystem(systemLocale: string): 'ru' | 'kk' | 'en' {
  const l = systemLocale.toLowerCase();
  if (l.startsWith('kk')) return 'kk';
  if (l.startsWith('en')) return 'en';
  return 'ru';
}
