// The IPC contract (renderer ⇄ core): operations, events, views, the wire, the typed client and the dispatcher.
export * from './views';
export * from './operations';
export * from './events';
export * from './wire';
export * from './dispatcher';
export * from './client';
