// Who `kense sign --via ncalayer` and `kense doctor` let answer as NCALayer on its TLS port.
import { FilePinStore, defaultPinFile, type NcaLayerTrust, type TlsPeerInfo } from '../../native-bridge/ncalayer/trust';
import { productionTrust } from './verification';

/**
 * Who may answer as NCALayer (NCALAYER_AND_PKI.md §1): the CA given (the emulator's ca.crt), else the НУЦ RSA
 * roots of the production store; a certificate accepted once and pinned in ~/.kense; `confirm` asks about an
 * unknown one (trust on first use). Shared by `kense sign` and `kense doctor`.
 */
export function ncalayerTlsTrust(caPem: string | undefined, env: NodeJS.ProcessEnv, confirm?: (peer: TlsPeerInfo) => Promise<boolean>): NcaLayerTrust {
  const ca: (string | Uint8Array)[] = [];
  if (caPem) ca.push(caPem);
  else {
    const production = productionTrust(env);
    for (const c of [...production.anchors, ...production.intermediates]) if (c.keyAlgorithm === 'RSA') ca.push(c.der);
  }
  return { ...(ca.length ? { ca } : {}), pinStore: new FilePinStore(defaultPinFile(env)), ...(confirm ? { confirmUnknownCertificate: confirm } : {}) };
}

