// The cloud contract (core ⇄ cloud): REST resources and the sync protocol under /v1.
export * from './common';
export * from './input';
export * from './auth';
export * from './company';
export * from './billing';
export * from './acts';
export * from './reconciliation';
export * from './dashboards';
export * from './notifications';
export * from './sync';
export * from './timestamps';
export * from './support';
export * from './endpoints';
export * from './openapi';
