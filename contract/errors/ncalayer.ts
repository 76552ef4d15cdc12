import type { ErrorCatalog } from './types';

export const NCALAYER_ERRORS = {} satisfies ErrorCatalog;
