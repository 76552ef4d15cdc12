// A child process of storage-lock.test.ts: on "take" it tries the folder's lock at once and answers "won <pid>" or
// "busy <holder pid>"; on "release" the winner lets go and answers "released". Lines on stdin, answers on stdout.
import { createInterface } from 'node:readline';
import { isKenseError } from '../../contract/errors';
import { lockStorage, type StorageLock } from '../src/db/storage-lock';

const folder = process.argv[2];
let lock: StorageLock | null = null;
const say = (s: string) => process.stdout.write(`${s}\n`);
say('ready');
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'take') {
    try {
      lock = await lockStorage(folder, 'lock-racer');
      say(`won ${process.pid}`);
    } catch (e) {
      if (!isKenseError(e, 'STORAGE_IN_USE')) throw e;
      say(`busy ${String(e.details?.holderPid ?? '?')}`);
    }
  } else if (line === 'release') {
    lock?.release();
    lock = null;
    say('released');
  }
}
