// Where the static resources (trust stores, test PKI, calendars) live: from the repository when run
// from source, bundled or not, and from the app's resources folder when packaged (KENSE_RESOURCES).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function resourcesDir(): string {
  const fromEnv = process.env.KENSE_RESOURCES;
  if (fromEnv) return path.resolve(fromEnv);
  if (cached) return cached;
  // Walk up from this module (its depth differs between source and bundles) to the folder that has resources/trust.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'resources');
    if (existsSync(path.join(candidate, 'trust'))) return (cached = candidate);
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error('Kense resources folder not found: set KENSE_RESOURCES to the folder that holds trust/ and test-pki/');
}
