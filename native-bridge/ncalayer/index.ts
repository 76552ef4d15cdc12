// Public API of the NCALayer client: connection, module calls, and the Signer over NCALayer.
export { NcaLayerConnection, type NcaLayerConnectionOptions, type ConnectionEvent, type RequestOptions } from './connection';
export { NcaLayerClient, type NcaLayerClientOptions, type NcaLayerProduct, type ClientSignOptions, type ClientCmsResult, type ClientXmlResult } from './client';
export { NcaLayerSigner, type NcaLayerSignerOptions } from './signer';
export { FilePinStore, MemoryPinStore, defaultPinFile, type NcaLayerTrust, type PinStore, type TlsPeerInfo } from './trust';
export {
  DEFAULT_NCALAYER_URL, MODULE_BASICS, MODULE_COMMON_UTILS, MODULE_KAZTOKEN, buildBasicsSign, buildCommonUtils, filterEkuOids,
  parseBasicsReply, parseCommonUtilsReply, parseGreeting, parseKeyInfo, decodeCmsText,
  type BasicsSignInput, type BasicsReply, type CommonUtilsReply, type LegacyKeyInfo,
} from './protocol';
