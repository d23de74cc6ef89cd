/**
 * One HTTP(S) GET with node:http/node:https: keep-alive agents that carry the TLS
 * settings (CA, client certificate and key), a timeout over the whole exchange, a body
 * size limit, and up to 5 redirects (credentials are not sent to another origin).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { TlsFiles } from '../tls-files.js';

export interface HttpResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: URL;
}

const MAX_REDIRECTS = 5;
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export class HttpClient {
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 4 });
  private readonly httpsAgent: HttpsAgent;

  constructor(tls: TlsFiles | undefined, private readonly timeoutMs: number) {
    this.httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 4, ca: tls?.ca, cert: tls?.cert, key: tls?.key });
  }

  async get(url: URL, headers: Record<string, string>): Promise<HttpResponse> {
    const deadline = Date.now() + this.timeoutMs;
    let current = url;
    let sent = { ...headers };
    for (let hop = 0; ; hop++) {
      const response = await this.once(current, sent, deadline);
      const location = response.headers.location;
      if (![301, 302, 303, 307, 308].includes(response.status) || !location) return response;
      if (hop === MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
      const next = new URL(location, current);
      if (next.origin !== current.origin) sent = withoutCredentials(sent);
      current = next;
    }
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private once(url: URL, headers: Record<string, string>, deadline: number): Promise<HttpResponse> {
    const https = url.protocol === 'https:';
    const send = https ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const remaining = Math.max(1, deadline - Date.now());
      const request = send(url, { method: 'GET', headers, agent: https ? this.httpsAgent : this.httpAgent });
      const timer = setTimeout(() => request.destroy(new Error(`timed out after ${this.timeoutMs / 1000}s`)), remaining);
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) request.destroy(new Error('response body larger than 64 MiB'));
          else chunks.push(chunk);
        });
        response.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        response.on('end', () => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', headers: response.headers, body: Buffer.concat(chunks), url });
        });
      });
      request.end();
    });
  }
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  const { authorization: _dropped, ...rest } = headers;
  return rest;
}
