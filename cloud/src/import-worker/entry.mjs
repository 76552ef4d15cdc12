// Entry of the import worker thread: TypeScript is loaded through tsx, as the `kense` command loads it.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
