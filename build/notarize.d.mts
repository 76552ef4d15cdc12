// Types of build/notarize.mjs (electron-builder loads the .mjs; the packaging test type-checks against this).
export function notarizeOptions(env: Record<string, string | undefined>, appPath: string): Record<string, string> | null;
export default function afterSign(context: { electronPlatformName: string; appOutDir: string; packager: { appInfo: { productFilename: string } } }): Promise<void>;
