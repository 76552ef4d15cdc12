// Tariff and billing rules: when a subscription warns or blocks, when a tariff change takes effect, VAT.
// Moved to contract/rules (shared with electron/core, which mirrors the server's rules offline).
export * from '../../../contract/rules/billing';
