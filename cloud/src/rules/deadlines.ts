// When silence means acceptance: service acts after 5 working days, reconciliation acts after 5 calendar days.
// Moved to contract/rules (shared with electron/core, which mirrors the server's rules offline).
export * from '../../../contract/rules/deadlines';
