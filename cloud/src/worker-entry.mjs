// Entry of the server's worker threads (worker-thread.ts): TypeScript is loaded through tsx, as the `kense` command
// loads it, then the module named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
