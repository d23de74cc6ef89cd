/**
 * A real HTTP or HTTPS server (node:http / node:https on 127.0.0.1, a free port) that
 * serves documents for the http backend's tests, with the behaviour a real document
 * server has: ETag and Last-Modified validators answered with 304, Cache-Control and
 * Retry-After headers, bearer or basic auth, client-certificate TLS, redirects. Every
 * request is logged, so tests wait for "the server answered 304 three times" instead of
 * for wall-clock time.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestCertificates } from './tls.js';

export interface ServedDocument {
  body: string;
  contentType?: string;
  /** Send an ETag (default true). */
  etag?: boolean;
  /** Send Last-Modified (default true). */
  lastModified?: boolean;
  /** Extra headers: Cache-Control, Retry-After… */
  headers?: Record<string, string>;
  /** Default 200. Any status but 200 is sent without validators. */
  status?: number;
  /** Answer with a 302 to this path instead. */
  redirectTo?: string;
}

export interface LoggedRequest {
  path: string;
  status: number;
  headers: IncomingMessage['headers'];
}

export interface DocumentServerOptions {
  /** Serve HTTPS with these certificates; `requireClientCert` demands one signed by the CA. */
  tls?: TestCertificates & { requireClientCert?: boolean };
  /** Demand this exact Authorization header (else 401). */
  authorization?: string;
}

interface Stored extends ServedDocument {
  etagValue: string;
  modifiedAt: string;
}

export class DocumentServer {
  readonly requests: LoggedRequest[] = [];
  private readonly documents = new Map<string, Stored>();
  private clock = Date.parse('2026-01-01T00:00:00Z');

  private constructor(private readonly server: Server, readonly origin: string, private readonly options: DocumentServerOptions) {}

  static async start(options: DocumentServerOptions = {}): Promise<DocumentServer> {
    let handler: (request: IncomingMessage, response: ServerResponse) => void = () => {};
    const listener = (request: IncomingMessage, response: ServerResponse) => handler(request, response);
    const tls = options.tls;
    const server = tls
      ? createHttpsServer({ cert: readFileSync(tls.serverCert), key: readFileSync(tls.serverKey), ca: readFileSync(tls.ca), requestCert: Boolean(tls.requireClientCert), rejectUnauthorized: Boolean(tls.requireClientCert) }, listener)
      : createHttpServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const instance = new DocumentServer(server, `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, options);
    handler = (request, response) => instance.handle(request, response);
    return instance;
  }

  url(path: string): string {
    return this.origin + path;
  }

  /** Serves `document` at `path` from now on; a new body gets a new ETag and a later Last-Modified. */
  set(path: string, document: ServedDocument): void {
    const previous = this.documents.get(path);
    const etagValue = `"${createHash('sha1').update(document.body).digest('hex').slice(0, 16)}"`;
    // Last-Modified has one-second resolution: move the clock on for every new body.
    const modifiedAt = previous?.etagValue === etagValue ? previous.modifiedAt : new Date((this.clock += 1000)).toUTCString();
    this.documents.set(path, { ...document, etagValue, modifiedAt });
  }

  /** Requests for `path`, optionally only those answered with `status`. */
  count(path: string, status?: number): number {
    return this.requests.filter((r) => r.path === path && (status === undefined || r.status === status)).length;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', this.origin).pathname;
    const reply = (status: number, headers: Record<string, string> = {}, body = '') => {
      this.requests.push({ path, status, headers: request.headers });
      response.writeHead(status, headers);
      response.end(body);
    };
    if (this.options.authorization && request.headers.authorization !== this.options.authorization) return reply(401, { 'www-authenticate': 'Bearer' }, 'unauthorized');
    const document = this.documents.get(path);
    if (!document) return reply(404, {}, 'not found');
    if (document.redirectTo) return reply(302, { location: document.redirectTo });
    const status = document.status ?? 200;
    const headers: Record<string, string> = { ...document.headers };
    if (document.contentType) headers['content-type'] = document.contentType;
    if (status !== 200) return reply(status, headers, document.body);
    if (document.etag !== false) headers.etag = document.etagValue;
    if (document.lastModified !== false) headers['last-modified'] = document.modifiedAt;
    const ifNoneMatch = request.headers['if-none-match'];
    const ifModifiedSince = request.headers['if-modified-since'];
    const notModified =
      document.etag !== false && ifNoneMatch !== undefined
        ? ifNoneMatch === document.etagValue
        : document.lastModified !== false && ifModifiedSince !== undefined && Date.parse(ifModifiedSince) >= Date.parse(document.modifiedAt);
    if (notModified) return reply(304, headers);
    reply(200, headers, document.body);
  }
}

/** `{'/a/b': '1'}` → `{a: {b: '1'}}`, for serving flat test data as one JSON document. */
export function nest(flat: Record<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('/').filter(Boolean);
    let node = root;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]] = value;
  }
  return root;
}
