/**
 * The HTTP listener of --metrics-addr: `/metrics` (Prometheus text), `/health` and
 * `/ready` (200 or 503, with a small JSON body saying why). GET and HEAD only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from '../config/listen-address.js';
import { ConfdError } from '../errors.js';
import type { HealthState } from './health.js';

export interface MetricsSource {
  text(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsServer {
  /** `host:port` actually bound (the port is chosen when 0 was asked for). */
  readonly address: string;
  close(): Promise<void>;
}

export async function serveMetrics(listen: ListenAddress, metrics: MetricsSource, health: HealthState): Promise<MetricsServer> {
  const server = createServer((request, response) => void answer(request, response, metrics, health));
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(new ConfdError(`metrics_addr: cannot listen on ${listen.host || '*'}:${listen.port}: ${error.code ?? error.message}`, { setting: 'metrics_addr' }));
    server.once('error', onError);
    server.listen(listen.port, listen.host || undefined, () => {
      server.off('error', onError);
      resolve();
    });
  });
  // A scrape must never keep a stopping daemon alive.
  server.unref();
  const bound = server.address() as AddressInfo;
  return {
    address: `${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(request: IncomingMessage, response: ServerResponse, metrics: MetricsSource, health: HealthState): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain', 'method not allowed\n');
  const path = (request.url ?? '/').split('?')[0];
  try {
    if (path === '/metrics') return send(response, 200, metrics.contentType, await metrics.text());
    if (path === '/health') {
      const report = health.health();
      return send(response, report.ok ? 200 : 503, 'application/json', JSON.stringify({ status: report.ok ? 'ok' : 'unhealthy', ...report }) + '\n');
    }
    if (path === '/ready') {
      const ready = health.readyNow;
      return send(response, ready ? 200 : 503, 'application/json', JSON.stringify({ status: ready ? 'ready' : 'not ready', ready }) + '\n');
    }
    return send(response, 404, 'text/plain', 'not found: try /metrics, /health or /ready\n');
  } catch (error) {
    return send(response, 500, 'text/plain', `${(error as Error).message}\n`);
  }
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}
