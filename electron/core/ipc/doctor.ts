// The doctor: can this computer sign? NCALayer, key files, the clock — with advice in the user's language.
import type { Locale } from '../../../contract/errors';
import type { OperationOutput } from '../../../contract/ipc';
import { assessHealth, probeClock, probeKeyFiles, probeNcaLayer } from '../../../native-bridge/signer/health';
import { usualKeyPlaces } from '../../../native-bridge/signer/key-files';
import type { Core } from '../core';

export async function runDoctor(core: Core): Promise<OperationOutput<'doctor.run'>> {
  const l: Locale = core.locale();
  const [ncalayer, keys, clock] = await Promise.all([
    probeNcaLayer({ url: core.ncalayerUrl(), ...(core.o.ncalayer?.tls ? { tls: core.o.ncalayer.tls } : {}), timeoutMs: 2500 }),
    probeKeyFiles([...(core.o.keyDirs ?? []).map((d) => ({ path: d, depth: 4 })), ...(await usualKeyPlaces())]),
    probeClock({ timeoutMs: 2500 }),
  ]);
  const report = assessHealth({ ncalayer, keyFiles: keys.keyFiles, scannedPlaces: keys.scannedPlaces, clock });
  return {
    healthy: report.healthy,
    findings: report.findings.map((f) => ({ id: f.id, severity: f.severity, message: f.message[l], fix: f.fix ? f.fix[l] : null })),
    ncalayer: { url: ncalayer.url, status: ncalayer.status, version: ncalayer.version ?? null, product: ncalayer.product ?? null },
    keyFiles: keys.keyFiles.length,
  };
}
