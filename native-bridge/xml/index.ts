// Public API of XML: the safe parser, Canonical XML 1.0, enveloped XMLDSig.
export { parseXml, DEFAULT_XML_LIMITS, type XmlDocument, type XmlElement, type XmlNode, type XmlLimits } from './parser';
export { canonicalizeDocument, canonicalizeSubtree, C14N, C14N_WITH_COMMENTS } from './c14n';
export { signXml, verifyXml, assertXmlValid, XMLDSIG_URIS, DSIG_NS, type SignXmlOptions, type VerifyXmlOptions, type XmlVerdict, type XmlSignatureVerdict } from './dsig';
