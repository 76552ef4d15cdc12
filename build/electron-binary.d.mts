// Types of build/electron-binary.mjs.
export function findElectronBinary(env?: Record<string, string | undefined>): { path: string } | { reason: string };
