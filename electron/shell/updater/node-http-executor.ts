// electron-updater's HTTP client over Node's http/https, for running the updater outside Electron (tests, tools).
// In the app electron-updater uses its own executor over Electron's `net` (system proxy, certificates); a custom
// AppAdapter leaves the executor null, so whoever passes an adapter must set this one before `setFeedURL`.
import http, { type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import https from 'node:https';
import { HttpExecutor, configureRequestOptions, configureRequestUrl, type DownloadOptions } from 'builder-util-runtime';

export class NodeHttpExecutor extends HttpExecutor<ClientRequest> {
  constructor(private readonly tls: { ca?: string | Buffer } = {}) {
    super();
  }

  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest {
    // A fresh connection per request (agent: false): no pooled socket outlives a test's server or cache folder.
    const opts = { ...options, agent: false as const };
    return options.protocol === 'http:' ? http.request(opts, callback) : https.request({ ...opts, ...this.tls }, callback);
  }

  /** What electron-updater calls to fetch an installer into `destination`, verifying sha512 as it streams. */
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        { destination, options, onCancel, callback: (error) => (error ? reject(error) : resolve(destination)), responseHandler: null },
        0,
      );
    });
  }
}
