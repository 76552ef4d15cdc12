// `kense login`: signs in to a kense cloud with the ЭЦП (NCALayer or a key file) or ИИН + password, creates the
// profile's encrypted database and downloads the company's data.
import type { CommandModule } from '../command';
import { parseFlags, usageFor } from '../args';
import { isIpcError } from '../../contract/ipc';
import { PROFILE_HELP, askLine, passwordFrom, syncSummary, withCore } from '../shared/core-session';

const HELP = `kense login --profile DIR --cloud URL (--via ncalayer|p12 [--p12 FILE] [--password-env VAR] | --iin IIN --password-env VAR)
            [--totp CODE] [--ca FILE] [--company ID]

Signs in to the kense cloud and downloads the company's data into an encrypted profile.
${PROFILE_HELP}  --cloud URL         the kense cloud (kense cloud serve prints it); remembered in the profile
  --via ncalayer      sign the sign-in challenge with NCALayer (or the emulator: add --ca with its ca.crt)
  --via p12           sign it with a key file through the bundled signer: --p12 FILE
  --password-env VAR  the key file's or account's password from environment variable VAR (otherwise asked)
  --iin IIN           sign in with ИИН + password instead of the ЭЦП
  --totp CODE         the 6-digit two-factor code, when two-factor sign-in is on (otherwise asked)
  --ncalayer URL      NCALayer's address (default wss://127.0.0.1:13579)
  --ca FILE           CA certificate trusted for NCALayer's TLS
  --company ID        the company, when the key or ИИН belongs to users of several companies
Exit code: 0 signed in and synced, 1 failed, 2 usage error.
`;

interface Flags {
  profile?: string;
  cloud?: string;
  via?: string;
  p12?: string;
  'password-env'?: string;
  iin?: string;
  totp?: string;
  ca?: string;
  ncalayer?: string;
  company?: string;
}

const usage = usageFor('login', HELP);

export const command: CommandModule = {
  summary: 'sign in to the kense cloud (ЭЦП or ИИН + password) and download the data into a profile',
  async run(ctx) {
    const f = parseFlags<Flags>(ctx, 'login', HELP, {
      profile: { type: 'string' },
      cloud: { type: 'string' },
      via: { type: 'string' },
      p12: { type: 'string' },
      'password-env': { type: 'string' },
      iin: { type: 'string' },
      totp: { type: 'string' },
      ca: { type: 'string' }, ncalayer: { type: 'string' },
      company: { type: 'string' },
    });
    if (typeof f === 'number') return f;
    if (!f.profile) return usage(ctx, '--profile is required');
    if (f.iin && f.via) return usage(ctx, 'use either --iin (password) or --via (ЭЦП), not both');
    if (!f.iin && !f.via) return usage(ctx, 'say how to sign in: --via ncalayer|p12, or --iin IIN');
    if (f.via && f.via !== 'ncalayer' && f.via !== 'p12') return usage(ctx, '--via must be ncalayer or p12');
    if (f.via === 'p12' && !f.p12) return usage(ctx, '--via p12 needs --p12 FILE');
    if (f.iin && !/^\d{12}$/.test(f.iin)) return usage(ctx, '--iin must be 12 digits');
    if (f.totp && !/^\d{6}$/.test(f.totp)) return usage(ctx, '--totp must be 6 digits');
    if (f.cloud) {
      try {
        new URL(f.cloud);
      } catch {
        return usage(ctx, `--cloud: not a URL: ${f.cloud}`);
      }
    }
    if (f['password-env'] && !ctx.env[f['password-env']]) return usage(ctx, `--password-env: environment variable ${f['password-env']} is empty or not set`);
    return withCore(ctx, { profileDir: f.profile, ...(f.cloud ? { cloudUrl: f.cloud } : {}), ...(f.ca ? { caFile: f.ca } : {}), ...(f.ncalayer ? { ncalayerUrl: f.ncalayer } : {}), requireProfile: false }, async ({ api }) => {
      const company = f.company ? { companyId: f.company } : {};
      let session;
      if (f.iin) {
        const password = await passwordFrom(ctx, f['password-env'], 'Пароль / Password: ');
        const attempt = (totp?: string) => api.invoke('session.signInWithPassword', { ...(f.cloud ? { cloudUrl: f.cloud } : {}), iin: f.iin as string, password, ...(totp ? { totp } : {}), ...company });
        try {
          session = await attempt(f.totp);
        } catch (e) {
          if (!isIpcError(e, 'TOTP_REQUIRED') || f.totp) throw e;
          const code = await askLine(ctx, 'Код двухфакторного входа / Two-factor code: ');
          if (!code) throw e;
          session = await attempt(code.trim());
        }
      } else {
        const password = f.via === 'p12' ? await passwordFrom(ctx, f['password-env'], 'Пароль ключа / Key password: ') : undefined;
        session = await api.invoke('session.signInWithCertificate', {
          ...(f.cloud ? { cloudUrl: f.cloud } : {}), via: f.via as 'p12' | 'ncalayer', ...(f.p12 ? { p12Path: f.p12 } : {}), ...(password ? { password } : {}), ...company,
        });
      }
      const p = session.profile;
      ctx.stdout.write(`Signed in: ${p?.userName} (${p?.role}), ${p?.companyName} БИН ${p?.companyIinBin}\n`);
      if (session.passwordChangeRequired) ctx.stdout.write('The password has expired: change it in Kense Office before other work.\n');
      const s = await api.invoke('sync.now', { wait: true });
      const docs = await api.invoke('documents.count', {});
      const sum = syncSummary(s);
      ctx.stdout.write(`Downloaded ${docs.total} documents; ${sum.line}\n`);
      return sum.inSync ? 0 : 1;
    });
  },
};

