// Core's process in the desktop app. Electron main forks this module as a utilityProcess and sends `core.start`
// with core's MessagePort: core opens with the OS-keychain vault that lives in main (asked over the parent port)
// and serves the IPC contract on the port. `core.shutdown` closes the database and exits.
import { openCore } from '../core';
import { serveEndpoint, type MessageEndpoint } from '../../contract/ipc';
import { SHUTDOWN_MESSAGE, zCoreStart, type CoreStart } from '../shell/core-supervisor';
import { remoteKeyVault, type PortLike } from '../shell/vault-channel';

export interface CoreProcessChannels {
  control: PortLike;
  contract: MessageEndpoint;
  exit: (code: number) => void;
  log?: (line: string) => void;
}

/** Opens core for `config` and serves it until shutdown. Resolves once it serves. */
export async function serveCore(config: CoreStart['config'], ch: CoreProcessChannels): Promise<void> {
  const vault = remoteKeyVault(ch.control);
  const handle = await openCore({
    dataDir: config.dataDir,
    cloudUrl: config.cloudUrl,
    ncalayer: config.ncalayer,
    keyDirs: config.keyDirs,
    testTrust: config.testTrust,
    locale: () => config.locale,
    vault,
    appVersion: config.appVersion,
    platform: config.platform,
  });
  const stop = serveEndpoint(ch.contract, handle.dispatcher, handle.events);
  let closing = false;
  ch.control.listen((m) => {
    if (closing || (m as { type?: unknown })?.type !== SHUTDOWN_MESSAGE.type) return;
    closing = true;
    stop();
    void handle
      .close()
      .catch((e: unknown) => ch.log?.(`core close failed: ${(e as Error)?.message ?? e}`))
      .finally(() => {
        vault.close();
        ch.exit(0);
      });
  });
}

/** Reads `core.start` from the first control message; anything else is refused. */
export function parseStart(message: unknown): CoreStart['config'] {
  return zCoreStart.parse(message).config;
}

// Electron's utility process: the parent port carries control messages; the first one brings core's MessagePort.
const parentPort = (process as NodeJS.Process & { parentPort?: Electron.ParentPort }).parentPort;
if (parentPort) {
  parentPort.once('message', (first) => {
    const config = parseStart(first.data);
    const [port] = first.ports;
    const control: PortLike = {
      send: (m) => parentPort.postMessage(m),
      listen: (l) => {
        const h = (e: Electron.MessageEvent) => l(e.data);
        parentPort.on('message', h);
        return () => void parentPort.off('message', h);
      },
    };
    const contract: MessageEndpoint = {
      send: (m) => port.postMessage(m),
      listen: (l) => {
        const h = (e: Electron.MessageEvent) => l(e.data);
        port.on('message', h);
        port.start();
        return () => void port.off('message', h);
      },
    };
    serveCore(config, { control, contract, exit: (code) => process.exit(code), log: (l) => console.error(l) }).catch((e: unknown) => {
      console.error(`kense core could not start: ${(e as Error)?.stack ?? e}`);
      process.exit(70);
    });
  });
}
