/**
 * http: values from documents served over HTTP(S). `nodes` are URLs, fetched in order
 * and merged (a later URL wins on the same key); each body is JSON, YAML or TOML by its
 * content type (or the `format` setting), flattened like the file backend's files.
 *
 * Configure keys: `nodes`/`machines`, `caCert`, `cert`, `key` (TLS), `authToken`
 * (Bearer), `basicAuth`, `username`, `password`, `format`, and from [backend_config]
 * `timeout` (per request, default 10s) and `poll_interval` (default 30s).
 *
 * Watching is conditional polling, one loop for all watchers: each URL is asked again
 * when its Cache-Control max-age has passed (else every poll_interval), with
 * If-None-Match / If-Modified-Since, never before a Retry-After. A 304, or a body whose
 * values under a watcher's keys did not change, wakes nobody.
 */
import type { Database, DatabaseConfig, DatabaseFactory, KeyValues } from '../../../src/database/database.js';
import { pickUnder } from '../../../src/database/key-path.js';
import { ConfdError } from '../../../src/errors.js';
import { parseFormatSetting } from '../document/index.js';
import { durationSetting } from '../settings.js';
import { SnapshotFeeds } from '../snapshot-feeds.js';
import { readTlsFiles, splitNodes } from '../tls-files.js';
import { authorizationHeader, urlAuthorization } from './auth.js';
import { HttpClient } from './request.js';
import { HttpSource } from './source.js';

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_POLL_INTERVAL_MS = 30_000;
/** Never ask more often than this, whatever max-age says. */
const MIN_POLL_DELAY_MS = 100;

export class HttpDatabase implements Database {
  private sources: HttpSource[] = [];
  private client: HttpClient | undefined;
  private readonly feeds = new SnapshotFeeds();
  private watchers = 0;
  private polling: AbortController | undefined;

  async configure(config: DatabaseConfig): Promise<void> {
    const urls = splitNodes(config.machines || config.nodes);
    if (urls.length === 0) throw new ConfdError('the http backend needs at least one URL (nodes = ["https://…/doc.json"])', { backend: 'http', setting: 'nodes' });
    const format = parseFormatSetting(config.format, 'http');
    const pollIntervalMs = durationSetting(config, 'poll_interval', DEFAULT_POLL_INTERVAL_MS, 'http');
    const timeoutMs = durationSetting(config, 'timeout', DEFAULT_TIMEOUT_MS, 'http');
    const authorization = authorizationHeader(config);
    this.sources = urls.map((text) => {
      const url = parseUrl(text);
      const fromUrl = urlAuthorization(url);
      url.username = '';
      url.password = '';
      const auth = authorization ?? fromUrl;
      return new HttpSource(url, { format, pollIntervalMs, headers: { 'user-agent': 'confd', ...(auth ? { authorization: auth } : {}) } });
    });
    this.client = new HttpClient(readTlsFiles(config, 'http'), timeoutMs);
  }

  private get http(): HttpClient {
    if (!this.client) throw new ConfdError('http backend used before configure', { backend: 'http' });
    return this.client;
  }

  async getValues(prefixes: readonly string[]): Promise<KeyValues> {
    const client = this.http;
    await Promise.all(this.sources.map((source) => (source.isFresh() ? false : source.refresh(client))));
    const document = this.merged();
    this.feeds.returned(document);
    return pickUnder(document, prefixes);
  }

  async *watchPrefix(prefix: string, keys: readonly string[], signal: AbortSignal): AsyncIterable<void> {
    this.watchers++;
    if (!this.polling) {
      this.polling = new AbortController();
      void this.poll(this.polling.signal);
    }
    try {
      yield* this.feeds.subscribe(prefix, keys, signal);
    } finally {
      if (--this.watchers === 0) this.stopPolling();
    }
  }

  async close(): Promise<void> {
    this.stopPolling();
    this.client?.close();
    this.client = undefined;
  }

  private stopPolling(): void {
    this.polling?.abort();
    this.polling = undefined;
  }

  /** Later URLs win. Sources not read yet contribute nothing. */
  private merged(): KeyValues {
    return Object.assign({}, ...this.sources.map((source) => source.values ?? {})) as KeyValues;
  }

  private async poll(signal: AbortSignal): Promise<void> {
    let failing = false;
    while (!signal.aborted) {
      const due = Math.min(...this.sources.map((source) => source.nextCheckAt()));
      await sleep(Math.max(MIN_POLL_DELAY_MS, due - Date.now()), signal);
      if (signal.aborted || !this.client) return;
      const now = Date.now();
      const client = this.client;
      const results = await Promise.allSettled(this.sources.filter((source) => source.nextCheckAt() <= now).map((source) => source.refresh(client)));
      if (signal.aborted) return;
      const failed = results.some((result) => result.status === 'rejected');
      // A failure wakes the watchers once, so the daemon's read reports it and retries.
      if (failed && !failing) this.feeds.wakeAll();
      failing = failed;
      if (results.some((result) => result.status === 'fulfilled' && result.value)) this.feeds.publish(this.merged());
    }
  }
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfdError(`invalid URL "${text}": expected http://… or https://…`, { backend: 'http', setting: 'nodes' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfdError(`invalid URL "${text}": only http and https are supported`, { backend: 'http', setting: 'nodes' });
  return url;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export const createDatabase: DatabaseFactory = () => new HttpDatabase();
