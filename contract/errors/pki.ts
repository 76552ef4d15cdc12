import type { ErrorCatalog } from './types';

export const PKI_ERRORS = {} satisfies ErrorCatalog;
