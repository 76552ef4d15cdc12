// Forks core as an Electron utilityProcess and hands it its MessagePort (the supervisor does the rest).
import { MessageChannelMain, utilityProcess, type MessageEvent } from 'electron';
import type { MessageEndpoint } from '../../contract/ipc';
import type { CoreChild, CoreStart } from '../shell/core-supervisor';

export function spawnCore(o: { entry: string; start: CoreStart; env: NodeJS.ProcessEnv; log: (line: string) => void }): CoreChild {
  const child = utilityProcess.fork(o.entry, [], { serviceName: 'Kense Office core', stdio: 'pipe', env: o.env });
  const { port1, port2 } = new MessageChannelMain();
  child.postMessage(o.start, [port2]);
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    // Core's own log lines go to electron-log (redacted there).
    stream?.on('data', (chunk: string) => chunk.split('\n').filter(Boolean).forEach((l) => o.log(l)));
  }
  const contract: MessageEndpoint = {
    send: (m) => port1.postMessage(m),
    listen: (l) => {
      const h = (e: MessageEvent) => l(e.data);
      port1.on('message', h);
      port1.start();
      return () => void port1.off('message', h);
    },
  };
  return {
    contract,
    control: {
      send: (m) => child.postMessage(m),
      listen: (l) => {
        const h = (m: unknown) => l(m);
        child.on('message', h);
        return () => void child.off('message', h);
      },
    },
    onExit: (l) => void child.once('exit', (code) => l(code)),
    kill: () => void child.kill(),
  };
}
