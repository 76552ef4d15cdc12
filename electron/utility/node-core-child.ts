// Core's process under plain Node instead of Electron (the supervisor tests; a check outside Electron): one
// child_process IPC channel carries both the control and the contract messages, tagged.
import type { MessageEndpoint, WireMessage } from '../../contract/ipc';
import type { PortLike } from '../shell/vault-channel';
import { parseStart, serveCore } from './core-process';

type Tagged = { ch: 'control' | 'contract'; m: unknown };

/**
 * A tagged channel over process IPC. Like Electron's MessagePortMain before start(), it keeps what arrives until
 * someone listens (core needs a moment to open; a call sent meanwhile must not be lost).
 */
function channel(name: Tagged['ch']): PortLike {
  const early: unknown[] = [];
  const listeners = new Set<(m: unknown) => void>();
  process.on('message', (raw: unknown) => {
    const t = raw as Tagged;
    if (t?.ch !== name) return;
    if (listeners.size === 0) early.push(t.m);
    for (const l of [...listeners]) l(t.m);
  });
  return {
    send: (m) => process.send?.({ ch: name, m } satisfies Tagged),
    listen: (l) => {
      listeners.add(l);
      for (const m of early.splice(0)) l(m);
      return () => void listeners.delete(l);
    },
  };
}

const control = channel('control');
const contract = channel('contract');
const endpoint: MessageEndpoint = { send: (m: WireMessage) => contract.send(m), listen: contract.listen };
const stopFirst = control.listen((first) => {
  stopFirst();
  serveCore(parseStart(first), { control, contract: endpoint, exit: (code) => process.exit(code) }).catch((e: unknown) => {
    console.error(`kense core could not start: ${(e as Error)?.stack ?? e}`);
    process.exit(70);
  });
});
