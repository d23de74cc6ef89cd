/**
 * etcd v3 (`--backend etcd` or `etcdv3`). Reads every prefix at one revision, page by
 * page, so a prefix with tens of thousands of keys works. Watches resume from the last
 * revision seen — after a disconnect or a failover to another endpoint — so no change
 * is missed (confd#819); after a reconnect, or when the revision was compacted, the
 * watch reports a change so the caller re-fetches everything.
 *
 * Watch cache: etcd watch events carry each changed key's new value and revision, so a
 * watched key range keeps its values current from its watch, and getValues answers from
 * that copy — no round trip — for a read that a watch event caused (GetValuesOptions
 * `afterWatchEvent`; start-up, interval and retry reads always go to etcd) when every
 * requested prefix lies in ONE watched range whose
 * copy is complete (filled by a range read, then updated by every event after that read's
 * revision). One range is one watcher, and etcd delivers all of a revision's events for
 * one watcher in one response, so such an answer is always one revision. Anything else
 * (prefixes spread over several ranges, not watched, a copy being refilled after a
 * reconnect) is a real read: one transaction for all ranges at one revision.
 *
 * All watches share the client's one gRPC watch stream, and resources watching the same
 * key share one watcher (reference-counted).
 *
 * With authentication on, the client logs in with username and password and logs in
 * again when its token expires. Watches then cover exactly the ranges a read covers (each
 * key and the keys below it: two watchers), so a user whose role may read only those
 * keys can watch them; those watches only notify (no cache: a transaction touching both
 * ranges arrives as two responses).
 */
import type { Etcd3, IKeyValue, IRangeResponse, IWatchResponse, Watcher } from 'etcd3';
import type { Database, DatabaseConfig, DatabaseFactory, GetValuesOptions, KeyValues } from '../../../src/database/database.js';
import { ChangeFeed } from '../../../src/database/change-feed.js';
import { cleanKey, coveringPrefixes, isUnderPrefix } from '../../../src/database/key-path.js';
import { ConfdError } from '../../../src/errors.js';
import { redactUserinfo } from '../../../src/log/redact.js';
import { lowerBound } from '../../../src/util/sorted.js';
import { readTlsFiles, splitNodes } from '../tls-files.js';

const PAGE_SIZE = 2000;
/** etcd refuses transactions with more operations than --max-txn-ops (default 128). */
const TXN_OPS = 128;
/** Watched ranges filled by one read: 1000 resources starting at once cost ~16 reads, not 1000. */
const FILL_BATCH = 64;
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

/** The byte ranges a read of `prefix` covers: `/app` itself, then everything under `/app/` — never `/application`. */
function readRanges(prefix: string): Array<[Buffer, Buffer | undefined]> {
  if (prefix === '/') return [[Buffer.from('/'), rangeEnd(Buffer.from('/'))]];
  return [
    [Buffer.from(prefix), undefined],
    [Buffer.from(prefix + '/'), rangeEnd(Buffer.from(prefix + '/'))],
  ];
}

/** True when raw (uncleaned) `key` lies in the ranges a read of `prefix` covers. */
function inReadRanges(key: string, prefix: string): boolean {
  if (prefix === '/') return key.charCodeAt(0) === 47;
  return key === prefix || (key.length > prefix.length && key.startsWith(prefix) && key.charCodeAt(prefix.length) === 47);
}

/** The parent of a clean key (`/a/b` → `/a`, `/a` → `/`), undefined for `/`. */
function parentKey(key: string): string | undefined {
  if (key === '/') return undefined;
  const slash = key.lastIndexOf('/');
  return slash <= 0 ? '/' : key.slice(0, slash);
}

type CacheState = 'filling' | 'current' | 'stale' | 'uncached';

/** One watched key (clean): its watcher(s), subscribers, and — when cached — its values. */
interface WatchedRange {
  key: string;
  watchers: Watcher[];
  feeds: Set<ChangeFeed>;
  /** Resolves once the watcher(s) exist; rejects when they could not be created. */
  ready: Promise<void>;
  state: CacheState;
  /** Raw key → value for every key a read of `key` returns (state `current`). */
  values: Map<string, string>;
  /** The revision `values` reflects. */
  revision: bigint;
  /** Events received while a fill read is in flight: applied after it when newer. */
  buffered: Array<{ key: string; value: string | undefined; revision: bigint }>;
  /** Bumped by every fill and every loss of the stream: a fill that was overtaken is dropped. */
  generation: number;
  connected: boolean;
}

export class EtcdDatabase implements Database {
  private client: Etcd3 | undefined;
  /** The revision of the last read, so a watch opened afterwards misses nothing in between. */
  private lastRevision: bigint | undefined;
  private username = '';
  private readonly watched = new Map<string, WatchedRange>();
  /**
   * Watchers are created one after another. etcd3 creates them one at a time on the
   * stream anyway, but queues every pending one by copying its queue (`concat`): 1000
   * resources starting at once made 1000 growing copies (megabytes of garbage, old-space
   * growth that stays in RSS). One at a time, its queue holds one.
   */
  private creating: Promise<unknown> = Promise.resolve();
  /** Watchers waiting in that lane: fills wait for them, to be read together. */
  private pendingCreations = 0;
  /** Ranges whose copy waits for a fill read; filled in batches. */
  private readonly fillQueue = new Set<WatchedRange>();
  private flushing = false;

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
    this.cacheable = !useAuth;
  }

  /** False with authentication: watches then cover exactly the read ranges, and notify only. */
  private cacheable = true;

  private get etcd(): Etcd3 {
    if (!this.client) throw new ConfdError('etcd backend used before configure', { backend: 'etcd' });
    return this.client;
  }

  async getValues(prefixes: readonly string[], options?: GetValuesOptions): Promise<KeyValues> {
    const covering = coveringPrefixes(prefixes);
    // Only a read that a watch event caused may be answered from the watch's copy: every
    // other read (start, interval resync, retry) goes to etcd, so a watch stream that died
    // without a word is caught by the next resync.
    const cached = options?.afterWatchEvent ? this.fromCache(covering) : undefined;
    if (cached) return cached;
    try {
      const { values, revision } = await this.read(covering);
      if (revision !== undefined) this.lastRevision = revision;
      return values;
    } catch (error) {
      throw new ConfdError(`etcd: ${redactUserinfo(describeEtcdError(error as Error, this.username))}`, { backend: 'etcd' }, { cause: error });
    }
  }

  /** The values of `covering` from one current watched range, or undefined. */
  private fromCache(covering: readonly string[]): KeyValues | undefined {
    if (covering.length === 0 || this.watched.size === 0) return undefined;
    let range: WatchedRange | undefined;
    for (const prefix of covering) {
      const found = this.rangeCovering(prefix);
      if (!found || (range && found !== range)) return undefined;
      range = found;
    }
    if (!range) return undefined;
    if (range.state !== 'current') {
      if (range.state === 'stale' && range.connected) this.requestFill(range);
      return undefined;
    }
    const values: KeyValues = {};
    const whole = covering.length === 1 && covering[0] === range.key;
    for (const [key, value] of range.values) {
      if (whole || covering.some((prefix) => inReadRanges(key, prefix))) values[key] = value;
    }
    if (this.lastRevision === undefined || range.revision > this.lastRevision) this.lastRevision = range.revision;
    return values;
  }

  /** The watched range containing clean `prefix` (it or an ancestor), if any. */
  private rangeCovering(prefix: string): WatchedRange | undefined {
    for (let key: string | undefined = prefix; key !== undefined; key = parentKey(key)) {
      const range = this.watched.get(key);
      if (range && range.state !== 'uncached') return range;
    }
    return undefined;
  }

  /**
   * Reads every range of `covering` at one revision: transactions of up to etcd's
   * operation limit, the first deciding the revision and the rest (and further pages of
   * a large prefix) pinned to it.
   */
  private async read(covering: readonly string[]): Promise<{ values: KeyValues; revision: bigint | undefined }> {
    const values: KeyValues = {};
    const ranges = covering.flatMap(readRanges);
    if (ranges.length === 0) return { values, revision: undefined };
    let revision: string | undefined;
    const pages: Array<Promise<void>> = [];
    const nextPages = async (end: Buffer, response: IRangeResponse): Promise<void> => {
      while (response.more && response.kvs.length > 0) {
        const key = Buffer.concat([response.kvs[response.kvs.length - 1].key, Buffer.from([0])]);
        response = await this.etcd.kv.range({ key, range_end: end, limit: PAGE_SIZE, revision });
        for (const kv of response.kvs) this.collect(kv, values);
      }
    };
    const chunk = async (part: Array<[Buffer, Buffer | undefined]>): Promise<void> => {
      const txn = await this.etcd.kv.txn({
        compare: [],
        success: part.map(([key, end]) => ({ request_range: { key, range_end: end, limit: end ? PAGE_SIZE : 1, revision } })),
        failure: [],
      });
      revision ??= txn.header.revision;
      part.forEach(([, end], i) => {
        const response = txn.responses[i].response_range;
        for (const kv of response.kvs) this.collect(kv, values);
        if (end && response.more) pages.push(nextPages(end, response));
      });
    };
    await chunk(ranges.slice(0, TXN_OPS));
    const rest: Array<Promise<void>> = [];
    for (let i = TXN_OPS; i < ranges.length; i += TXN_OPS) rest.push(chunk(ranges.slice(i, i + TXN_OPS)));
    await Promise.all(rest);
    await Promise.all(pages);
    return { values, revision: BigInt(revision as string) };
  }

  private collect(kv: IKeyValue, into: KeyValues): void {
    const key = kv.key.toString();
    // Verbatim: the render pass cleans every key and refuses `..` (src/resource/key-scope.ts).
    if (key.startsWith('/')) into[key] = kv.value.toString();
  }

  async *watchPrefix(prefix: string, keys: readonly string[], signal: AbortSignal): AsyncIterable<void> {
    const wanted = coveringPrefixes(keys.length > 0 ? keys : [prefix]);
    const feed = new ChangeFeed();
    const held: WatchedRange[] = [];
    try {
      try {
        for (const key of wanted) {
          const range = this.acquire(key, feed);
          held.push(range);
          await range.ready;
        }
      } catch (error) {
        throw new ConfdError(`etcd: ${describeEtcdError(error as Error, this.username)}`, { backend: 'etcd' }, { cause: error });
      }
      yield* feed.changes(signal);
    } finally {
      await Promise.all(held.map((range) => this.release(range, feed)));
    }
  }

  /** The watcher of `key`, shared by every watchPrefix that watches it. */
  private acquire(key: string, feed: ChangeFeed): WatchedRange {
    let range = this.watched.get(key);
    if (!range) {
      const created: WatchedRange = {
        key,
        watchers: [],
        feeds: new Set(),
        ready: Promise.resolve(),
        state: this.cacheable ? 'stale' : 'uncached',
        values: new Map(),
        revision: 0n,
        buffered: [],
        generation: 0,
        connected: false,
      };
      range = created;
      this.watched.set(key, created);
      created.ready = this.startWatchers(created).catch((error: unknown) => {
        if (this.watched.get(key) === created) this.watched.delete(key);
        void this.cancelWatchers(created);
        throw error;
      });
    }
    range.feeds.add(feed);
    return range;
  }

  private async release(range: WatchedRange, feed: ChangeFeed): Promise<void> {
    range.feeds.delete(feed);
    if (range.feeds.size > 0) return;
    if (this.watched.get(range.key) === range) this.watched.delete(range.key);
    range.generation++;
    await range.ready.catch(() => {});
    await this.cancelWatchers(range);
  }

  private async cancelWatchers(range: WatchedRange): Promise<void> {
    const watchers = range.watchers.splice(0);
    await Promise.all(watchers.map((watcher) => watcher.cancel().catch(() => {})));
  }

  private async startWatchers(range: WatchedRange): Promise<void> {
    const { key } = range;
    const cached = range.state !== 'uncached';
    // Cached: one watcher over [key, key + '0'), which holds `key` and `key/…` (and
    // siblings such as `key-x`, ignored), so a revision's events arrive in one response.
    // Uncached (auth): the very ranges getValues reads.
    const builders = key === '/'
      ? [this.etcd.watch().prefix('/')]
      : cached
        ? [this.etcd.watch().inRange({ start: key, end: key + '0' })]
        : [this.etcd.watch().key(key), this.etcd.watch().prefix(key + '/')];
    const notify = () => {
      for (const feed of range.feeds) feed.notify();
    };
    for (const builder of builders) {
      // Start right after the last read: changes made since it are delivered, not lost.
      if (this.lastRevision !== undefined) builder.startRevision(String(this.lastRevision + 1n));
      const created = this.creating.then(() => (range.feeds.size === 0 ? undefined : builder.create()));
      this.creating = created.catch(() => {});
      this.pendingCreations++;
      let watcher: Watcher | undefined;
      try {
        watcher = await created;
      } finally {
        this.pendingCreations--;
        this.maybeFlushFills();
      }
      if (!watcher) return; // released before its turn
      range.watchers.push(watcher);
      if (range.feeds.size === 0) return; // released while starting
      let disconnected = false;
      watcher.on('data', (response: IWatchResponse) => {
        if (this.apply(range, response)) notify();
      });
      watcher.on('disconnected', () => {
        disconnected = true;
        range.connected = false;
        this.invalidate(range);
      });
      watcher.on('connected', () => {
        range.connected = true;
        // The library resumes from the last revision it saw; re-fetch anyway, in case the
        // history was compacted while we were away.
        if (disconnected) {
          disconnected = false;
          if (cached) this.requestFill(range);
          notify();
        }
      });
      watcher.on('error', () => {
        // etcd cancelled the watcher (e.g. its revision was compacted): it sees no more
        // changes, so its copy can never be trusted again; the range only notifies.
        this.invalidate(range);
        range.state = 'uncached';
        notify();
      });
    }
    range.connected = true;
    if (cached) this.requestFill(range);
  }

  /** The copy can no longer be trusted (until the next fill). */
  private invalidate(range: WatchedRange): void {
    range.generation++;
    if (range.state === 'uncached') return;
    range.state = 'stale';
    range.values = new Map();
    range.buffered = [];
  }

  /**
   * Applies a watch response to the copy; true when it touched a key under the range
   * (notify). Events are applied by their own revision: a response replaying history
   * (a watcher catching up after a reconnect) never takes the copy back.
   */
  private apply(range: WatchedRange, response: IWatchResponse): boolean {
    let relevant = false;
    const floor = range.revision;
    let latest = floor;
    for (const event of response.events) {
      const key = event.kv.key.toString();
      if (!relevant && isUnderPrefix(cleanKey(key), range.key)) relevant = true;
      if (range.state === 'uncached' || range.state === 'stale' || !inReadRanges(key, range.key)) continue;
      const value = event.type === 'Delete' ? undefined : event.kv.value.toString();
      const revision = BigInt(event.kv.mod_revision);
      if (range.state === 'filling') {
        range.buffered.push({ key, value, revision });
        continue;
      }
      if (revision <= floor) continue;
      if (revision > latest) latest = revision;
      if (value === undefined) range.values.delete(key);
      else range.values.set(key, value);
    }
    if (range.state === 'current') range.revision = latest;
    return relevant;
  }

  /**
   * Queues a (re)fill of the copy: from now on events are kept aside, and a read of the
   * range (batched with other ranges, one revision) plus the kept events newer than it
   * make the copy current. A fill overtaken by a loss of the stream is dropped.
   */
  private requestFill(range: WatchedRange): void {
    if (range.state === 'uncached') return;
    range.generation++;
    range.state = 'filling';
    range.buffered = [];
    this.fillQueue.add(range);
    this.maybeFlushFills();
  }

  /** Reads queued fills once no watcher is waiting to be created (or a batch is full). */
  private maybeFlushFills(): void {
    if (this.flushing || this.fillQueue.size === 0) return;
    if (this.pendingCreations > 0 && this.fillQueue.size < FILL_BATCH) return;
    this.flushing = true;
    setImmediate(() => {
      void this.flushFills().finally(() => {
        this.flushing = false;
        this.maybeFlushFills();
      });
    });
  }

  private async flushFills(): Promise<void> {
    const batch = [...this.fillQueue].slice(0, FILL_BATCH);
    for (const range of batch) this.fillQueue.delete(range);
    const generations = batch.map((range) => range.generation);
    const current = (range: WatchedRange, i: number) => generations[i] === range.generation && range.state === 'filling' && this.watched.get(range.key) === range;
    let read;
    try {
      read = await this.read(coveringPrefixes(batch.map((range) => range.key)));
    } catch {
      batch.forEach((range, i) => current(range, i) && this.invalidate(range));
      return;
    }
    const { values, revision } = read;
    const sorted = Object.keys(values).sort();
    batch.forEach((range, i) => {
      if (!current(range, i)) return;
      const copy = new Map<string, string>();
      // Keys of `key`'s read ranges: itself, then [key/, key0) — the same order as bytes for these.
      const from = range.key === '/' ? 0 : lowerBound(sorted, range.key + '/');
      const to = range.key === '/' ? sorted.length : lowerBound(sorted, range.key + '0');
      if (range.key !== '/' && Object.hasOwn(values, range.key)) copy.set(range.key, values[range.key]);
      for (let k = from; k < to; k++) copy.set(sorted[k], values[sorted[k]]);
      let latest = revision ?? 0n;
      for (const event of range.buffered) {
        if (revision !== undefined && event.revision <= revision) continue;
        if (event.value === undefined) copy.delete(event.key);
        else copy.set(event.key, event.value);
        if (event.revision > latest) latest = event.revision;
      }
      range.values = copy;
      range.revision = latest;
      range.buffered = [];
      range.state = 'current';
    });
  }

  async close(): Promise<void> {
    this.watched.clear();
    this.fillQueue.clear();
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
