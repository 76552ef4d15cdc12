// electron-builder's afterSign hook: notarizes the signed macOS app with Apple, credentials from the environment.
//   App Store Connect API key:  APPLE_API_KEY (path to AuthKey_XXXX.p8), APPLE_API_KEY_ID, APPLE_API_ISSUER
//   or Apple ID:                APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID
//   or a notarytool profile:    APPLE_KEYCHAIN_PROFILE [APPLE_KEYCHAIN]
// None set: the build stays un-notarized with a warning (a local test build), unless KENSE_REQUIRE_NOTARIZATION=1
// (the release job), which fails. A half-set group fails and names what is missing.
import path from 'node:path';

const GROUPS = [
  { name: 'App Store Connect API key', vars: ['APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER'], options: (e) => ({ appleApiKey: e.APPLE_API_KEY, appleApiKeyId: e.APPLE_API_KEY_ID, appleApiIssuer: e.APPLE_API_ISSUER }) },
  { name: 'Apple ID', vars: ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'], options: (e) => ({ appleId: e.APPLE_ID, appleIdPassword: e.APPLE_APP_SPECIFIC_PASSWORD, teamId: e.APPLE_TEAM_ID }) },
  { name: 'notarytool keychain profile', vars: ['APPLE_KEYCHAIN_PROFILE'], options: (e) => ({ keychainProfile: e.APPLE_KEYCHAIN_PROFILE, ...(e.APPLE_KEYCHAIN ? { keychain: e.APPLE_KEYCHAIN } : {}) }) },
];

/** { appPath, …credentials } for @electron/notarize, or null when none is configured. Throws on a half-set group. */
export function notarizeOptions(env, appPath) {
  for (const g of GROUPS) {
    const set = g.vars.filter((v) => env[v]);
    if (set.length === 0) continue;
    if (set.length < g.vars.length) throw new Error(`notarization (${g.name}): ${g.vars.filter((v) => !env[v]).join(', ')} not set`);
    return { appPath, ...g.options(env) };
  }
  return null;
}

export default async function afterSign(context) {
  if (context.electronPlatformName !== 'darwin' && context.electronPlatformName !== 'mas') return;
  const appPath = path.join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`);
  const options = notarizeOptions(process.env, appPath);
  if (!options) {
    if (process.env.KENSE_REQUIRE_NOTARIZATION === '1') throw new Error('KENSE_REQUIRE_NOTARIZATION=1 but no Apple notarization credentials are set');
    console.warn('  • not notarized: no Apple credentials in the environment (Gatekeeper will refuse this build on other Macs)');
    return;
  }
  const { notarize } = await import('@electron/notarize');
  console.log(`  • notarizing ${path.basename(appPath)} with Apple`);
  await notarize(options);
}
