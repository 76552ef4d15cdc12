// `kense verify`: checks every signer of a CMS or every signature of an XML document (recognised by
// content), or every signature file in a folder, and prints who signed, with what rights, the timestamp,
// revocation with where it came from — and why not valid.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { KenseError } from '../../contract/errors';
import { MAX_CMS_BYTES, overallStatus, parseCms, verifyCms, type RevocationMode, type RevocationSource, type TrustStore } from '../../native-bridge/pki';
import { verifyXml } from '../../native-bridge/xml';
import type { CommandContext, CommandModule } from '../command';
import { parseFlags, readFileArg, usageFor } from '../args';
import { givenEvidence, revocationMode, revocationSource, trustFromArgs, type GivenEvidence } from '../shared/verification';
import { fromCms, fromXml, verdictJson, verdictStatus, verdictText, type Verdict, type VerdictStatus } from '../shared/verdict-text';

const HELP = `kense verify --in SIG|DIR [--data DATA] [--trust production|test|FILE…] [--crl FILE] [--ocsp FILE]
             [--revocation crl-or-ocsp|crl|ocsp|none] [--offline] [--at ISO-TIME|now] [--json]

Verifies every signer of a CMS (DER, base64 or PEM), or every signature of an XML document (enveloped
XMLDSig: RSA, GOST-2015-512, GOST-2004) — recognised by content.
  --in SIG|DIR        the signature, or a folder: every signature file in it is verified (a detached
                      NAME.cms/.p7s/.p7m/.sig against the document NAME beside it; folders inside are not searched)
  --data DATA         the signed document, for a detached CMS
  --trust …           trust anchors: "production" (default: the НУЦ РК CAs shipped with kense — see
                      \`kense trust list\` —, those you imported with \`kense trust import\`, and НУЦ РК CAs in
                      the OS store); "test" (the НУЦ РК test CAs and the test kit's CRL — test mode only);
                      or certificate files (repeatable). A timestamp's service is also checked against the
                      shipped production CAs: the НУЦ timestamp service has a production certificate.
  --crl FILE          a CRL to check revocation against (repeatable)
  --ocsp FILE         a DER OCSP response to check revocation against (repeatable)
  --revocation MODE   crl-or-ocsp (default): revocation must be known — from --crl/--ocsp, the test kit's CRL
                      (--trust test), or the CRLs (and OCSP) the certificate names, fetched and kept in
                      ~/.kense/revocation (or KENSE_REVOCATION_DIR), refreshed before they expire, the last good
                      copy used (with its age) when a fetch fails; unknown → INDETERMINATE.
                      crl / ocsp: only that kind. none: not checked — the output says so.
  --offline           fetch nothing: use what is given and what ~/.kense/revocation holds
  --at ISO-TIME|now   judge certificate validity and revocation at this time. Default: a verified timestamp's
                      time; else (CMS) the signing time the signer states — unconfirmed, so a revocation up to
                      now still counts; else (XML, which carries no signing time) now. The output says which.
  --json              print the verdict as JSON
Verdict per signer, as ETSI EN 319 102-1 states it, with the sub-indication that decided it:
  VALID          every check passed.
  INVALID        proven wrong: broken or altered (FORMAT_FAILURE, HASH_FAILURE, SIG_CRYPTO_FAILURE); made after
                 its certificate was revoked or had expired, as a trusted timestamp and the signer's own signing
                 time both show (REVOKED, EXPIRED); or judged at a time before the certificate was issued
                 (NOT_YET_VALID). A timestamp that is broken or stamps another signature is FORMAT_FAILURE.
  INDETERMINATE  not confirmed here, and not proven wrong: no chain to a trusted root (NO_CERTIFICATE_CHAIN_FOUND,
                 CHAIN_CONSTRAINTS_FAILURE); revoked, or expired at the time judged at, with nothing proving the
                 signature was made before (REVOKED_NO_POE, OUT_OF_BOUNDS_NO_POE, OUT_OF_BOUNDS_NOT_REVOKED —
                 an XML signature carries no time at all); revocation unknown (TRY_LATER); the document of a
                 detached signature not given (SIGNED_DATA_NOT_FOUND); an unsupported algorithm.
A timestamp whose service cannot be trusted is set aside (the output says which and why) and proves nothing.
Exit code: 0 only when every signer is VALID; 1 otherwise (INVALID or INDETERMINATE); 2 on a usage error.
Environment: KENSE_REVOCATION_DIR (where fetched CRLs/OCSP answers are kept); KENSE_CRL_MIRROR="FROM=TO …"
(fetch the URLs certificates name from a mirror, e.g. http://crl.pki.gov.kz=http://mirror.local/nuc).
`;

interface Flags {
  in?: string;
  data?: string;
  trust?: string[];
  crl?: string[];
  ocsp?: string[];
  revocation?: string;
  offline?: boolean;
  at?: string;
  json?: boolean;
  help?: boolean;
}

/** Everything a verification needs besides the bytes. */
interface Judge {
  trust: TrustStore;
  at?: Date;
  evidence: GivenEvidence;
  mode: RevocationMode;
  source?: RevocationSource;
}

export const command: CommandModule = {
  summary: 'verify a CMS or XML signature, or a folder of them (signers, ИИН/БИН, roles, timestamp, revocation)',
  async run(ctx) {
    const values = parseFlags<Flags>(ctx, 'verify', HELP, {
      in: { type: 'string' },
      data: { type: 'string' },
      trust: { type: 'string', multiple: true },
      crl: { type: 'string', multiple: true },
      ocsp: { type: 'string', multiple: true },
      revocation: { type: 'string' },
      offline: { type: 'boolean' },
      at: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (typeof values === 'number') return values;
    if (!values.in) return usage(ctx, '--in is required');
    let at: Date | undefined;
    if (values.at !== undefined) {
      at = values.at === 'now' ? new Date() : new Date(values.at);
      if ((values.at !== 'now' && !/^\d{4}-\d{2}-\d{2}/.test(values.at)) || Number.isNaN(at.getTime())) return usage(ctx, `--at: not an ISO time: ${values.at}`);
    }
    const mode = revocationMode(values.revocation);
    if (!mode) return usage(ctx, '--revocation is crl-or-ocsp, crl, ocsp or none');
    for (const [flag, files] of [['--data', values.data ? [values.data] : []], ['--crl', values.crl ?? []], ['--ocsp', values.ocsp ?? []], ['--trust', values.trust ?? []]] as const) {
      const folder = files.find(isFolder);
      if (folder) return usage(ctx, `${flag} names a folder, not a file: ${folder}`);
    }
    const trust = trustFromArgs(values.trust, ctx.env, { anchorsAll: true });
    if (typeof trust === 'string') return usage(ctx, trust);
    const judge: Judge = {
      trust: trust.store,
      at,
      // Files named on the command line are read up front: an unreadable one is an error naming it, not a silent "unknown".
      evidence: givenEvidence(values.crl ?? [], values.ocsp ?? [], trust.kind),
      mode,
      source: mode === 'none' ? undefined : revocationSource(ctx.env, { offline: values.offline === true }),
    };

    if (isFolder(values.in)) {
      if (values.data) return usage(ctx, '--data goes with one signature file; in a folder a detached NAME.cms is checked against NAME');
      return verifyFolder(ctx, values.in, judge, values.json === true);
    }
    const bytes = readFileArg(values.in);
    if (looksLikeXml(bytes) && values.data) return usage(ctx, '--data is for a detached CMS; an XML signature is inside its document');
    const data = values.data !== undefined ? readFileArg(values.data) : undefined;
    const verdict = await verifyOne(bytes, data, judge);
    if (verdict.error && !values.json) throw new KenseError('CMS_MALFORMED', { problem: verdict.error.message });
    ctx.stdout.write(values.json ? `${JSON.stringify(verdictJson(verdict, judge.trust), null, 2)}\n` : verdictText(verdict, judge.trust, ctx.locale));
    return verdictStatus(verdict) === 'valid' ? 0 : 1;
  },
};

const usage = usageFor('verify', HELP);

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false; // missing: readFileArg says FILE_NOT_FOUND
  }
}

/** XML starts with "<" (after a BOM and white space); a CMS is DER (0x30), base64 or PEM. */
export function looksLikeXml(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x3c;
}

async function verifyOne(bytes: Uint8Array, data: Uint8Array | undefined, j: Judge): Promise<Verdict> {
  const checked = j.mode !== 'none';
  const common = { trust: j.trust, at: j.at, crls: j.evidence.crls, ocspResponses: j.evidence.ocspResponses, revocation: j.mode, revocationSource: j.source };
  if (looksLikeXml(bytes)) return fromXml(await verifyXml(bytes, common), checked);
  return fromCms(await verifyCms(bytes, { ...common, data }), checked);
}

const DETACHED = /\.(cms|p7s|p7m|sig)$/i;

type FolderEntry = { file: string; verdict: Verdict } | { file: string; skipped: string };

async function verifyFolder(ctx: CommandContext, dir: string, j: Judge, json: boolean): Promise<number> {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
  const entries: FolderEntry[] = [];
  const documents = new Set<string>();
  for (const name of names) {
    const file = path.join(dir, name);
    if (statSync(file).size > MAX_CMS_BYTES) {
      entries.push({ file: name, skipped: 'larger than a signature can be' });
      continue;
    }
    const bytes = readFileArg(file);
    if (looksLikeXml(bytes)) {
      try {
        const verdict = await verifyOne(bytes, undefined, j);
        entries.push(verdict.signers.length ? { file: name, verdict } : { file: name, skipped: 'an XML document without a signature' });
      } catch (e) {
        entries.push({ file: name, skipped: e instanceof KenseError ? `not an XML document kense reads (${e.code})` : 'unreadable XML' });
      }
      continue;
    }
    let detached: boolean;
    try {
      detached = parseCms(bytes).content === undefined;
    } catch {
      entries.push({ file: name, skipped: 'not a signature' });
      continue;
    }
    const docName = detached && DETACHED.test(name) ? name.replace(DETACHED, '') : undefined;
    const doc = docName && names.includes(docName) ? readFileArg(path.join(dir, docName)) : undefined;
    if (doc) documents.add(docName as string);
    entries.push({ file: name, verdict: await verifyOne(bytes, doc, j) });
  }
  // A document that a detached signature beside it covers is not "not a signature": say what it is.
  for (const e of entries) if ('skipped' in e && documents.has(e.file)) e.skipped = 'the document of a detached signature beside it';
  const verdicts = entries.filter((e): e is { file: string; verdict: Verdict } => 'verdict' in e);
  if (verdicts.length === 0) throw new KenseError('VERIFY_NO_SIGNATURES', { path: dir, files: names.length });
  const statuses = verdicts.map((e) => verdictStatus(e.verdict));
  const overall: VerdictStatus = overallStatus(statuses.map((status) => ({ status })));
  if (json) {
    const files = entries.map((e) => ('verdict' in e ? { file: e.file, ...verdictJson(e.verdict, j.trust) } : e));
    ctx.stdout.write(`${JSON.stringify({ folder: dir, status: overall, valid: overall === 'valid', files }, null, 2)}\n`);
  } else {
    for (const e of verdicts) ctx.stdout.write(`== ${e.file} ==\n${verdictText(e.verdict, j.trust, ctx.locale)}\n`);
    const count = (s: VerdictStatus) => statuses.filter((x) => x === s).length;
    const skipped = entries.filter((e): e is { file: string; skipped: string } => 'skipped' in e);
    ctx.stdout.write(
      `${FOLDER[ctx.locale].summary.replace('{dir}', dir).replace('{n}', String(verdicts.length)).replace('{v}', String(count('valid'))).replace('{i}', String(count('invalid'))).replace('{u}', String(count('indeterminate')))}\n` +
        (skipped.length ? `${FOLDER[ctx.locale].skipped}:\n${skipped.map((s) => `  ${s.file}: ${s.skipped}`).join('\n')}\n` : '') +
        `${verdicts.map((e, i) => `  ${statuses[i].toUpperCase().padEnd(13)} ${e.file}`).join('\n')}\n\n${overall.toUpperCase()}\n`,
    );
  }
  return overall === 'valid' ? 0 : 1;
}

const FOLDER = {
  ru: { summary: 'Папка {dir}: файлов подписи {n} — действительны {v}, недействительны {i}, не подтверждены {u}', skipped: 'Пропущены' },
  kk: { summary: '{dir} қалтасы: қолтаңба файлдары {n} — жарамды {v}, жарамсыз {i}, расталмаған {u}', skipped: 'Өткізіп жіберілді' },
  en: { summary: 'Folder {dir}: {n} signature files — {v} valid, {i} invalid, {u} not confirmed', skipped: 'Skipped' },
} as const;
