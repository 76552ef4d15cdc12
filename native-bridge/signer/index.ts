// Public API of signing without NCALayer: the Signer interface, the bundled .p12 signer, signer filters,
// key-file discovery, health checks (kense doctor) and the NCALayer-compatible server (emulator).
export type { Signer, SignOptions, CmsSignOptions, CmsSignResult, XmlSignResult, SignerDescription } from './types';
export { BundledSigner, openWithPassword, certificateBeside, type BundledSignerOptions, type PasswordCallback, type PasswordRequest } from './bundled';
export { filterMismatches, certificateFits, isTestCertificate, keySummary, type FilterMismatch } from './filter';
export { findKeyFiles, usualKeyPlaces, parseKeyFileName, type KeyFileName } from './key-files';
export { assessHealth, probeClock, probeKeyFiles, probeNcaLayer, type HealthProbes, type HealthReport, type HealthFinding } from './health';
export { startNcaLayerServer, NcaLayerProtocolHandler, type NcaLayerServerOptions, type RunningNcaLayerServer, type EmulatorBackend, type ApprovePolicy } from './emulator-server';
export { EmulatorKeyring, scanKeyring, type EmulatorKeyringOptions, type KeyringEntry } from './emulator-keyring';
export { ensureEmulatorTls, defaultEmulatorDataDir, type EmulatorTlsIdentity } from './emulator-tls';
