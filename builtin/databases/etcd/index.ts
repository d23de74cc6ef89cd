/**
 * etcd v3 (`--backend etcd` or `etcdv3`). Reads every prefix at one revision, page by
 * page, so a prefix with tens of thousands of keys works. Watches resume from the last
 * revision seen — after a disconnect or a failover to another endpoint — so no change
 * is missed (confd#819); after a reconnect, or when the revision was compacted, the
 * watch reports a change so the caller re-fetches everything.
 *
 * With authentication on, the client logs in with username and password and logs in
 * again when its token expires. Watches cover exactly the ranges a read covers (each key
 * and the keys below it), so a user whose role may read only those keys can watch them.
 */
import type { Etcd3, IKeyValue, Watcher, WatchBuilder } from 'etcd3';
import type { Database, DatabaseConfig, DatabaseFactory, KeyValues } from '../../../src/database/database.js';
import { ChangeFeed } from '../../../src/database/change-feed.js';
import { cleanKey, coveringPrefixes, isUnderPrefix } from '../../../src/database/key-path.js';
import { ConfdError } from '../../../src/errors.js';
import { redactUserinfo } from '../../../src/log/redact.js';
import { readTlsFiles, splitNodes } from '../tls-files.js';

const PAGE_SIZE = 2000;
const DEFAULT_NODE = 'http://127.0.0.1:2379';

/** The smallest key greater than every key starting with `prefix`. */
function rangeEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

export class EtcdDatabase implements Database {
  private client: Etcd3 | undefined;
  /** The revision of the last read, so a watch opened afterwards misses nothing in between. */
  private lastRevision: bigint | undefined;
  private username = '';

  async configure(config: DatabaseConfig): Promise<void> {
    const { Etcd3 } = await import('etcd3');
    const hosts = splitNodes(config.machines || config.nodes);
    const tls = readTlsFiles(config, 'etcd');
    const useAuth = config.basicAuth === 'true' || Boolean(config.username);
    this.username = config.username ?? '';
    this.client = new Etcd3({
      hosts: hosts.length > 0 ? hosts : [DEFAULT_NODE],
      credentials: tls ? { rootCertificate: tls.ca ?? Buffer.alloc(0), privateKey: tls.key, certChain: tls.cert } : undefined,
      auth: useAuth ? { username: config.username, password: config.password } : undefined,
      dialTimeout: 5000,
      // Unlimited, as for plugins: a large prefix can exceed grpc's 4 MiB default.
      grpcOptions: { 'grpc.max_receive_message_length': -1 },
    });
  }

  private get etcd(): Etcd3 {
    if (!this.client) throw new ConfdError('etcd backend used before configure', { backend: 'etcd' });
    return this.client;
  }

  async getValues(prefixes: readonly string[]): Promise<KeyValues> {
    const values: KeyValues = {};
    let revision: string | undefined;
    try {
      for (const prefix of coveringPrefixes(prefixes)) {
        // `/app` itself, then everything under `/app/` — never `/application`.
        const ranges: Array<[Buffer, Buffer | undefined]> =
          prefix === '/' ? [[Buffer.from('/'), rangeEnd(Buffer.from('/'))]] : [[Buffer.from(prefix), undefined], [Buffer.from(prefix + '/'), rangeEnd(Buffer.from(prefix + '/'))]];
        for (const [start, end] of ranges) {
          let key = start;
          for (;;) {
            const response = await this.etcd.kv.range({ key, range_end: end, limit: end ? PAGE_SIZE : 1, revision });
            revision ??= response.header.revision;
            for (const kv of response.kvs) this.collect(kv, values);
            if (!end || !response.more || response.kvs.length === 0) break;
            key = Buffer.concat([response.kvs[response.kvs.length - 1].key, Buffer.from([0])]);
          }
        }
      }
    } catch (error) {
      throw new ConfdError(`etcd: ${redactUserinfo(describeEtcdError(error as Error, this.username))}`, { backend: 'etcd' }, { cause: error });
    }
    if (revision !== undefined) this.lastRevision = BigInt(revision);
    return values;
  }

  private collect(kv: IKeyValue, into: KeyValues): void {
    const key = kv.key.toString();
    // Verbatim: the render pass cleans every key and refuses `..` (src/resource/key-scope.ts).
    if (key.startsWith('/')) into[key] = kv.value.toString();
  }

  async *watchPrefix(prefix: string, keys: readonly string[], signal: AbortSignal): AsyncIterable<void> {
    const watched = coveringPrefixes(keys.length > 0 ? keys : [prefix]);
    const feed = new ChangeFeed();
    const watchers: Watcher[] = [];
    try {
      try {
        for (const key of watched) {
          // The same ranges getValues reads: the key itself, then everything below `key/`.
          const ranges = key === '/' ? [this.etcd.watch().prefix('/')] : [this.etcd.watch().key(key), this.etcd.watch().prefix(key + '/')];
          for (const builder of ranges) watchers.push(await this.startWatcher(builder, key, feed));
        }
      } catch (error) {
        throw new ConfdError(`etcd: ${describeEtcdError(error as Error, this.username)}`, { backend: 'etcd' }, { cause: error });
      }
      yield* feed.changes(signal);
    } finally {
      await Promise.all(watchers.map((watcher) => watcher.cancel().catch(() => {})));
    }
  }

  private async startWatcher(builder: WatchBuilder, key: string, feed: ChangeFeed): Promise<Watcher> {
    // Start right after the last read: changes made since it are delivered, not lost.
    if (this.lastRevision !== undefined) builder.startRevision(String(this.lastRevision + 1n));
    const watcher = await builder.create();
    let disconnected = false;
    const relevant = (kv: IKeyValue) => isUnderPrefix(cleanKey(kv.key.toString()), key);
    watcher.on('put', (kv) => relevant(kv) && feed.notify());
    watcher.on('delete', (kv) => relevant(kv) && feed.notify());
    watcher.on('disconnected', () => (disconnected = true));
    watcher.on('connected', () => {
      // The library resumes from the last revision it saw; re-fetch anyway, in case the
      // history was compacted while we were away.
      if (disconnected) feed.notify();
      disconnected = false;
    });
    watcher.on('error', () => feed.notify());
    return watcher;
  }

  async close(): Promise<void> {
    this.client?.close();
    this.client = undefined;
  }
}

export const createDatabase: DatabaseFactory = () => new EtcdDatabase();

/** etcd's message without the gRPC prefix, with what to do about it when it is about auth. */
function describeEtcdError(error: Error, username: string): string {
  const message = error.message.replace(/^\d+ [A-Z_]+: /, '').replace(/^etcdserver: /, '');
  if (/authentication failed/.test(message)) return `authentication failed for user "${username}": invalid user ID or password`;
  if (!username && /user name is empty|permission denied/.test(message)) return `${message}: authentication is enabled on the server: set --username and --password`;
  if (/permission denied/.test(message)) return `${message} for user "${username}" (its roles must allow reading the resource keys)`;
  return message;
}
