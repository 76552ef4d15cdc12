// Who may sign a document for a company (DOMAIN.md "Who may sign"): pure, table-tested.
// Moved to contract/rules (shared with electron/core, which mirrors the server's rules offline).
export * from '../../../contract/rules/signing';
