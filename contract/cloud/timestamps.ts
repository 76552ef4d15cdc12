// The server's timestamp authority: a signature that reaches the cloud without a timestamp (made offline, with only
// the device's claimed time) is stamped by the server's TSA and kept as CAdES-T (SignatureInfo.timestamp, .cms).
import { z } from 'zod';
import { zBase64 } from './common';

/** The built-in test TSA speaks RFC 3161 here (POST, application/timestamp-query), when the server runs it. */
export const TEST_TSA_PATH = '/v1/tsa';

export const zTimestampAuthority = z
  .object({
    mode: z.enum(['none', 'builtin', 'rfc3161']).meta({
      description: 'none: signatures are kept as they come; builtin: the reference server’s own test TSA (demo only, never production); rfc3161: a TSA over HTTP (the НУЦ РК service)',
    }),
    url: z.string().nullable().meta({ description: 'The RFC 3161 address the server asks (builtin: its own /v1/tsa)' }),
    tsa: z.string().nullable().meta({ description: 'The TSA certificate’s name, when known' }),
    certificates: z.array(zBase64).meta({
      description: 'builtin: the test TSA’s certificate and its root (DER) — trust them for timestamps in a demo to see the demo’s timestamps verified; otherwise empty (НУЦ TSAs chain to the НУЦ roots)',
    }),
    retrySeconds: z.int().min(1).meta({ description: 'How often pending signatures are retried while the TSA does not answer' }),
  })
  .meta({ id: 'TimestampAuthority' });
export type TimestampAuthority = z.infer<typeof zTimestampAuthority>;
