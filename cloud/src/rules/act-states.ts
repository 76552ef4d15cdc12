// The lifecycle of an EDO act (DOMAIN.md "Lifecycle of an act"): which action is allowed in which state.
// Moved to contract/rules (shared with electron/core, which mirrors the server's rules offline).
export * from '../../../contract/rules/act-states';
