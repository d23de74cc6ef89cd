/**
 * One configured URL and what we know of it: the last good document's values, its
 * validators (ETag, Last-Modified) for conditional requests, how long it stays fresh
 * (Cache-Control max-age), and until when the server asked us to wait (Retry-After).
 */
import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import type { KeyValues } from '../../../src/database/database.js';
import { ConfdError } from '../../../src/errors.js';
import { DocumentSyntaxError, parseDocumentText, type FormatSetting } from '../document/index.js';
import { formatOfContentType, freshForMs, retryAfterMs } from './cache-headers.js';
import type { HttpClient, HttpResponse } from './request.js';

export interface SourceOptions {
  format: FormatSetting;
  /** Authorization and other headers sent with every request. */
  headers: Record<string, string>;
  pollIntervalMs: number;
}

export class HttpSource {
  /** The URL without credentials, for messages. */
  readonly label: string;
  values: KeyValues | undefined;
  private hash: string | undefined;
  private etag: string | undefined;
  private lastModified: string | undefined;
  /** When the last request ended, and whether it failed. */
  private attemptedAt = 0;
  private failed = false;
  private freshMs = 0;
  private waitUntil = 0;
  private inFlight: Promise<boolean> | undefined;
  /** The error that set `waitUntil`, repeated instead of asking before then. */
  private waitError: ConfdError | undefined;

  constructor(
    readonly url: URL,
    private readonly options: SourceOptions,
  ) {
    const shown = new URL(url);
    shown.username = '';
    shown.password = '';
    this.label = shown.toString();
  }

  /** When the next poll should ask (ms since the epoch). */
  nextCheckAt(): number {
    if (this.attemptedAt === 0) return 0;
    return Math.max(this.waitUntil, this.attemptedAt + (this.freshMs > 0 ? this.freshMs : this.options.pollIntervalMs));
  }

  /** Still fresh per Cache-Control: a read may use the stored values without asking. */
  isFresh(now = Date.now()): boolean {
    return this.values !== undefined && !this.failed && now < this.attemptedAt + this.freshMs;
  }

  /**
   * Asks the server (conditionally when we can); true when the document changed. One
   * request at a time; none before a Retry-After has passed (its error is repeated).
   */
  refresh(client: HttpClient): Promise<boolean> {
    if (this.waitError && Date.now() < this.waitUntil) return Promise.reject(this.waitError);
    this.inFlight ??= this.request(client).finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async request(client: HttpClient): Promise<boolean> {
    try {
      const changed = await this.exchange(client);
      this.failed = false;
      return changed;
    } catch (error) {
      this.failed = true;
      this.freshMs = 0;
      throw error;
    } finally {
      this.attemptedAt = Date.now();
    }
  }

  private async exchange(client: HttpClient): Promise<boolean> {
    const headers: Record<string, string> = { accept: 'application/json, application/yaml;q=0.9, */*;q=0.5', ...this.options.headers };
    if (this.values !== undefined && this.etag) headers['if-none-match'] = this.etag;
    if (this.values !== undefined && this.lastModified) headers['if-modified-since'] = this.lastModified;
    let response: HttpResponse;
    try {
      response = await client.get(this.url, headers);
    } catch (error) {
      throw this.error(`GET ${this.label}: ${(error as Error).message}`, error);
    }
    this.waitUntil = 0;
    this.waitError = undefined;
    if (response.status === 304 && this.values !== undefined) {
      // A 304 may refresh the validators and the freshness; the document is unchanged.
      this.remember(response);
      return false;
    }
    if (response.status !== 200) {
      const retry = retryAfterMs(response.headers);
      if (retry !== undefined && (response.status === 429 || response.status === 503)) this.waitUntil = Date.now() + retry;
      const hint = response.status === 401 || response.status === 403 ? ' (check auth_token, or username and password)' : retry !== undefined ? ` (retry after ${Math.ceil(retry / 1000)}s)` : '';
      const error = this.error(`GET ${this.label}: HTTP ${response.status} ${response.statusText}${hint}`);
      if (this.waitUntil > 0) this.waitError = error;
      throw error;
    }
    const hash = createHash('sha256').update(response.body).digest('hex');
    const changed = hash !== this.hash;
    if (changed) this.values = this.parse(response);
    this.hash = hash;
    this.remember(response);
    return changed;
  }

  private remember(response: HttpResponse): void {
    const etag = response.headers.etag;
    const lastModified = response.headers['last-modified'];
    if (response.status === 200) {
      this.etag = etag;
      this.lastModified = lastModified;
    } else {
      this.etag = etag ?? this.etag;
      this.lastModified = lastModified ?? this.lastModified;
    }
    this.freshMs = freshForMs(response.headers);
  }

  private parse(response: HttpResponse): KeyValues {
    const format = this.formatFor(response);
    try {
      return parseDocumentText(response.body.toString('utf8'), format);
    } catch (error) {
      if (!(error instanceof DocumentSyntaxError)) throw error;
      throw this.error(`${this.label} served ${error.message}`, error);
    }
  }

  /** The `format` setting, else the content type, else the URL's extension, else by the text. */
  private formatFor(response: HttpResponse): FormatSetting {
    if (this.options.format !== 'auto') return this.options.format;
    const byType = formatOfContentType(response.headers['content-type']);
    if (byType) return byType;
    const ext = extname(response.url.pathname).toLowerCase();
    if (ext === '.json') return 'json';
    if (ext === '.yaml' || ext === '.yml') return 'yaml';
    if (ext === '.toml') return 'toml';
    return 'auto';
  }

  private error(message: string, cause?: unknown): ConfdError {
    return new ConfdError(`http: ${message}`, { backend: 'http' }, { cause });
  }
}
