/**
 * redis (`--backend redis`). Nodes are `host:port`, `host:port/<db>`, a unix socket
 * path, or a URL `redis://[user:password@]host:port[/db]` (`rediss://` for TLS), tried
 * in order. TLS is used for `rediss://` nodes, and for plain `host:port` nodes when a CA
 * or a client certificate is configured. `username` and `password` log in as an ACL user
 * (redis 6+); credentials in a node URL win for that node. Keys are stored with slashes (`/app/db/host`), or with
 * `--separator` in their place (`app_db_host`); a hash `/app/db` with field `host`
 * reads as `/app/db/host`. Watching uses keyspace notifications; when the server has
 * them off, the backend says so and the daemon polls instead.
 */
import { existsSync } from 'node:fs';
import type { Redis, RedisOptions } from 'ioredis';
import { WatchUnsupportedError, type Database, type DatabaseConfig, type DatabaseFactory, type KeyValues } from '../../../src/database/database.js';
import { ChangeFeed } from '../../../src/database/change-feed.js';
import { cleanKey, coveringPrefixes, isUnderPrefix } from '../../../src/database/key-path.js';
import { ConfdError } from '../../../src/errors.js';
import { redactUserinfo } from '../../../src/log/redact.js';
import { readTlsFiles, splitNodes, type TlsFiles } from '../tls-files.js';

const SCAN_COUNT = 1000;

interface Node {
  options: RedisOptions;
  db: number;
  label: string;
  /** rediss:// (true), redis:// (false), or a plain address (undefined: TLS if configured). */
  tls?: boolean;
}

function parseNode(node: string): Node {
  if (node.startsWith('/') && existsSync(node)) return { options: { path: node }, db: 0, label: node };
  if (/^rediss?:\/\//.test(node)) return parseUrlNode(node);
  const match = /^([^:/]+|\[[^\]]+\]):(\d+)(?:\/(\d+))?$/.exec(node);
  if (!match) throw new ConfdError(`invalid redis node "${redactUserinfo(node)}": expected host:port, host:port/db or redis[s]://host:port/db`, { backend: 'redis', setting: 'node' });
  const db = match[3] ? Number(match[3]) : 0;
  return { options: { host: match[1].replace(/^\[|\]$/g, ''), port: Number(match[2]), db }, db, label: node };
}

function parseUrlNode(node: string): Node {
  let url: URL;
  try {
    url = new URL(node);
  } catch {
    throw new ConfdError(`invalid redis node URL: ${redactUserinfo(node)}`, { backend: 'redis', setting: 'node' });
  }
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) throw new ConfdError(`invalid redis node "${redactUserinfo(node)}": the path must be a database number`, { backend: 'redis', setting: 'node' });
  const db = dbText ? Number(dbText) : 0;
  const options: RedisOptions = { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : 6379, db };
  if (url.username) options.username = decodeURIComponent(url.username);
  if (url.password) options.password = decodeURIComponent(url.password);
  // Messages name the node without its credentials.
  const label = redactUserinfo(node);
  return { options, db, label, tls: url.protocol === 'rediss:' };
}

/** ioredis TLS options: verify against the CA (or the system's), present the client certificate. */
function tlsOptions(files: TlsFiles | undefined): RedisOptions['tls'] {
  return { ca: files?.ca, cert: files?.cert, key: files?.key };
}

export class RedisDatabase implements Database {
  private client: Redis | undefined;
  private node: Node | undefined;
  private separator = '/';
  private options: RedisOptions = {};

  async configure(config: DatabaseConfig): Promise<void> {
    const { Redis } = await import('ioredis');
    this.separator = config.separator || '/';
    // confd passed --client-key as the redis password; accept it when no TLS cert is set.
    const password = config.password || (!config.cert ? config.key : '') || undefined;
    const tlsFiles = readTlsFiles({ ...config, key: config.cert ? config.key : '' }, 'redis');
    const nodes = splitNodes(config.machines || config.nodes);
    const errors: string[] = [];
    for (const text of nodes.length > 0 ? nodes : ['127.0.0.1:6379']) {
      const node = parseNode(text);
      const useTls = node.tls ?? tlsFiles !== undefined;
      const options: RedisOptions = {
        username: config.username || undefined,
        password,
        ...node.options,
        tls: useTls ? tlsOptions(tlsFiles) : undefined,
        lazyConnect: true,
        connectTimeout: 2000,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: true,
        retryStrategy: (times) => Math.min(times * 200, 2000),
      };
      const client = new Redis(options);
      // Reported through failed commands; but a refused AUTH only shows here, while the
      // command that follows just sees "Connection is closed".
      let connectionError: Error | undefined;
      client.on('error', (error: Error) => (connectionError ??= error));
      try {
        await client.connect();
        await client.ping();
        this.client = client;
        this.node = node;
        this.options = options;
        return;
      } catch (error) {
        const cause = /Connection is closed/.test((error as Error).message) && connectionError ? connectionError : (error as Error);
        errors.push(redactUserinfo(`${node.label}: ${describeRedisError(cause, options.username, useTls)}`));
        client.disconnect();
      }
    }
    throw new ConfdError(`cannot connect to redis (${errors.join('; ')})`, { backend: 'redis' });
  }

  private get redis(): Redis {
    if (!this.client) throw new ConfdError('redis backend used before configure', { backend: 'redis' });
    return this.client;
  }

  /** `/app/db` → `app_db` with separator `_`; unchanged with `/`. */
  private toRedisKey(key: string): string {
    return this.separator === '/' ? key : key.replace(/^\//, '').replaceAll('/', this.separator);
  }

  /**
   * Not cleaned: the render pass cleans every key and drops any with a `..` segment
   * (src/resource/key-scope.ts), which cleaning here would hide.
   */
  private fromRedisKey(key: string): string {
    const path = this.separator === '/' ? key : key.replaceAll(this.separator, '/');
    return path.startsWith('/') ? path : '/' + path;
  }

  async getValues(prefixes: readonly string[]): Promise<KeyValues> {
    const values: KeyValues = {};
    try {
      for (const prefix of coveringPrefixes(prefixes)) {
        const base = this.toRedisKey(prefix);
        const candidates = new Set<string>();
        if (prefix !== '/') candidates.add(base);
        const pattern = prefix === '/' ? '*' : `${escapeGlob(base)}${escapeGlob(this.separator)}*`;
        let cursor = '0';
        do {
          const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
          for (const key of keys) candidates.add(key);
          cursor = next;
        } while (cursor !== '0');
        await this.readKeys([...candidates], prefix, values);
      }
    } catch (error) {
      if (error instanceof ConfdError) throw error;
      throw new ConfdError(`redis: ${(error as Error).message}`, { backend: 'redis' }, { cause: error });
    }
    return values;
  }

  /** Reads strings and hashes (as `<key>/<field>`) in pipelined batches. */
  private async readKeys(keys: string[], prefix: string, into: KeyValues): Promise<void> {
    for (let i = 0; i < keys.length; i += SCAN_COUNT) {
      const batch = keys.slice(i, i + SCAN_COUNT);
      const types = (await this.redis.pipeline(batch.map((k) => ['type', k])).exec()) ?? [];
      const reads = batch.map((key, j) => ({ key, type: String(types[j]?.[1] ?? 'none') })).filter((r) => r.type === 'string' || r.type === 'hash');
      const results = (await this.redis.pipeline(reads.map((r) => (r.type === 'string' ? ['get', r.key] : ['hgetall', r.key]))).exec()) ?? [];
      reads.forEach((read, j) => {
        const value = results[j]?.[1];
        const key = this.fromRedisKey(read.key);
        if (read.type === 'string' && typeof value === 'string') {
          if (isUnderPrefix(key, prefix)) into[key] = value;
        } else if (value && typeof value === 'object') {
          for (const [field, fieldValue] of Object.entries(value as Record<string, string>)) {
            const fieldKey = `${key}/${field}`;
            if (isUnderPrefix(fieldKey, prefix)) into[fieldKey] = fieldValue;
          }
        }
      });
    }
  }

  /** True when the server publishes keyspace events for the commands confd cares about. */
  private async notificationsEnabled(): Promise<boolean> {
    try {
      const [, flags = ''] = (await this.redis.config('GET', 'notify-keyspace-events')) as string[];
      return flags.includes('K') && (flags.includes('A') || (flags.includes('$') && flags.includes('g') && flags.includes('h')));
    } catch {
      return false; // CONFIG may be disabled: do not trust notifications we cannot verify.
    }
  }

  async *watchPrefix(prefix: string, _keys: readonly string[], signal: AbortSignal): AsyncIterable<void> {
    if (!(await this.notificationsEnabled())) {
      throw new WatchUnsupportedError('redis (notify-keyspace-events is off on the server; set it to "KEA" to watch)');
    }
    const clean = cleanKey(prefix);
    const subscriber = this.redis.duplicate({ ...this.options, lazyConnect: false });
    subscriber.on('error', () => {});
    const feed = new ChangeFeed();
    const notify = () => feed.notify();
    const channelPrefix = `__keyspace@${this.node?.db ?? 0}__:`;
    subscriber.on('pmessage', (_pattern: string, channel: string) => {
      const key = this.fromRedisKey(channel.slice(channelPrefix.length));
      // A key under the prefix changed, or a hash the prefix lies in (its fields are keys).
      if (isUnderPrefix(key, clean) || isUnderPrefix(clean, key)) notify();
    });
    let connectedBefore = false;
    // After a reconnect (ioredis re-subscribes), re-fetch: events during the gap are lost.
    subscriber.on('ready', () => {
      if (connectedBefore) notify();
      connectedBefore = true;
    });
    const base = this.toRedisKey(clean);
    await subscriber.psubscribe(`${channelPrefix}${clean === '/' ? '*' : `${escapeGlob(base)}*`}`);
    try {
      yield* feed.changes(signal);
    } finally {
      subscriber.disconnect();
    }
  }

  async close(): Promise<void> {
    this.client?.disconnect();
    this.client = undefined;
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

export const createDatabase: DatabaseFactory = () => new RedisDatabase();

/** Adds what to do to the messages users get wrong most: credentials. */
function describeRedisError(error: Error, username: string | undefined, tls: boolean): string {
  // OpenSSL's `…:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:…` → the reason.
  const message = /SSL routines:[^:]*:([^:]+):/.exec(error.message)?.[1] ?? error.message;
  // A TLS server that wants a client certificate closes the connection without a reason.
  if (tls && /Connection is closed|ECONNRESET|socket disconnected/.test(message)) return `${message} (over TLS: check --client-ca-keys, and --client-cert with --client-key if the server requires client certificates)`;
  if (/^WRONGPASS/.test(message)) return `${message} (user "${username ?? 'default'}": check --username and --password)`;
  if (/^NOAUTH/.test(message)) return `${message} (the server requires a password: set --password, and --username for an ACL user)`;
  return message;
}
