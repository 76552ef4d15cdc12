// A Node client of a running headless host (benchmarks, tools): the address it printed (`http://127.0.0.1:PORT/#token=…`)
// → the typed IPC client over the same WebSocket, origin and token the office in the browser uses.
import { WebSocket } from 'ws';
import { createKenseClient, endpointTransport, type KenseApi } from '../../contract/ipc';
import { IPC_PATH, IPC_SUBPROTOCOL, wsEndpoint } from './server';

export async function connectHost(openUrl: string): Promise<{ api: KenseApi; close(): void }> {
  const url = new URL(openUrl);
  const token = /token=([0-9a-f]+)/.exec(url.hash)?.[1];
  if (!token) throw new Error(`no token in ${openUrl}`);
  const ws = new WebSocket(`ws://${url.host}${IPC_PATH}`, [IPC_SUBPROTOCOL, `token.${token}`], { origin: url.origin });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`the host refused the socket: ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const transport = endpointTransport(wsEndpoint(ws));
  return {
    api: createKenseClient(transport),
    close: () => {
      transport.close();
      ws.close();
    },
  };
}
