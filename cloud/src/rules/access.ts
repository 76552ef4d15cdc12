// Who sees what: role permissions and the visibility of feed rows. Enforced on every endpoint and on the feed.
// Moved to contract/rules (shared with electron/core, which mirrors the server's rules offline).
export * from '../../../contract/rules/access';
