import type { ErrorCatalog } from './types';

export const CLOUD_ERRORS = {} satisfies ErrorCatalog;
