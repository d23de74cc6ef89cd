/**
 * zookeeper (`--backend zookeeper`, `--node host:port`, repeatable). A prefix is read
 * recursively; a node with children contributes its children, a leaf its data (as in
 * confd). A missing prefix reads as empty. Watches are re-armed on the whole subtree
 * *before* the caller is told to re-read, so a change between an event and the re-arm
 * is never missed (confd#713); an expired session is replaced (retrying with backoff
 * until the ensemble answers) and reported as a change, so the caller re-reads.
 *
 * `username` and `password` are sent as `digest` auth on every session, for znodes whose
 * ACL grants that user READ. Watches walk the resource keys, not the whole prefix, so
 * nodes the user may not read elsewhere under the prefix do not break them.
 */
import type { Client, Event } from 'node-zookeeper-client';
import type { Database, DatabaseConfig, DatabaseFactory, KeyValues } from '../../../src/database/database.js';
import { ChangeFeed } from '../../../src/database/change-feed.js';
import { cleanKey, coveringPrefixes } from '../../../src/database/key-path.js';
import { ConfdError } from '../../../src/errors.js';
import { redactUserinfo } from '../../../src/log/redact.js';
import { splitNodes } from '../tls-files.js';

const CONNECT_TIMEOUT_MS = 10_000;
const NO_NODE = -101;
const NO_AUTH = -102;
const MAX_RECONNECT_DELAY_MS = 30_000;

type Watcher = (event: Event) => void;

/** `host`, `host:port`, `[v6]:port`, the last one optionally with a `/chroot`. */
const ZOOKEEPER_NODE = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?(?:\/[^\s@]*)?$/;

function errorCode(error: unknown): number | undefined {
  return typeof (error as { getCode?: () => number })?.getCode === 'function' ? (error as { getCode(): number }).getCode() : undefined;
}

export class ZookeeperDatabase implements Database {
  private client: Client | undefined;
  private connectionString = '127.0.0.1:2181';
  private username = '';
  private digest: Buffer | undefined;
  private closed = false;
  /** Told when the session expires and a new one replaces it. */
  private readonly sessionListeners = new Set<() => void>();

  async configure(config: DatabaseConfig): Promise<void> {
    const nodes = splitNodes(config.machines || config.nodes);
    // The client library throws from inside a socket callback on a malformed address
    // (an uncaught crash, with the address — credentials and all — in the stack trace).
    for (const node of nodes) {
      const match = ZOOKEEPER_NODE.exec(node);
      if (!match || Number(match[1] ?? 0) > 65_535) {
        throw new ConfdError(`invalid zookeeper node "${redactUserinfo(node)}": expected host:port (credentials go in --username and --password)`, { backend: 'zookeeper', setting: 'node' });
      }
    }
    if (nodes.length > 0) this.connectionString = nodes.join(',');
    this.username = config.username ?? '';
    if (this.username) this.digest = Buffer.from(`${this.username}:${config.password ?? ''}`);
    await this.connect();
  }

  private async connect(): Promise<void> {
    const zookeeper = await import('node-zookeeper-client');
    const client = zookeeper.createClient(this.connectionString, { sessionTimeout: 10_000, spinDelay: 500, retries: 3 });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.close();
        reject(new ConfdError(`cannot connect to zookeeper at ${redactUserinfo(this.connectionString)} within ${CONNECT_TIMEOUT_MS / 1000}s`, { backend: 'zookeeper' }));
      }, CONNECT_TIMEOUT_MS);
      client.once('connected', () => {
        clearTimeout(timer);
        resolve();
      });
      // Auth info is sent with the session and again on every reconnect of this client.
      if (this.digest) client.addAuthInfo('digest', this.digest);
      client.connect();
    });
    client.on('expired', () => {
      if (this.client !== client) return;
      client.close();
      void this.replaceSession();
    });
    this.client = client;
  }

  /** A new session after expiry: retried with backoff until it works or the backend closes. */
  private async replaceSession(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        await this.connect();
        if (this.closed) return this.client?.close();
        this.sessionListeners.forEach((listener) => listener());
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_RECONNECT_DELAY_MS, 500 * 2 ** attempt)));
      }
    }
  }

  private get zk(): Client {
    if (!this.client) throw new ConfdError('zookeeper backend used before configure', { backend: 'zookeeper' });
    return this.client;
  }

  /** NO_AUTH names the node and what to check; other errors pass through. */
  private readError(error: unknown, path: string): unknown {
    if (errorCode(error) !== NO_AUTH) return error;
    const hint = this.username
      ? `user "${this.username}" has no READ permission on it (or the password is wrong)`
      : 'its ACL restricts reading: set --username and --password (digest auth)';
    return new Error(`not authorised to read ${path} (NO_AUTH): ${hint}`);
  }

  private children(path: string, watcher?: Watcher): Promise<string[] | undefined> {
    return new Promise((resolve, reject) => {
      const done = (error: unknown, children: string[]) => {
        if (!error) resolve(children);
        else if (errorCode(error) === NO_NODE) resolve(undefined);
        else reject(this.readError(error, path));
      };
      if (watcher) this.zk.getChildren(path, watcher, done);
      else this.zk.getChildren(path, done);
    });
  }

  private data(path: string, watcher?: Watcher): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      const done = (error: unknown, data: Buffer) => {
        if (!error) resolve(data ? data.toString('utf8') : '');
        else if (errorCode(error) === NO_NODE) resolve(undefined);
        else reject(this.readError(error, path));
      };
      if (watcher) this.zk.getData(path, watcher, done);
      else this.zk.getData(path, done);
    });
  }

  /** Fires when `path` is created (used for prefixes that do not exist yet). */
  private existsWatch(path: string, watcher: Watcher): Promise<void> {
    return new Promise((resolve, reject) => this.zk.exists(path, watcher, (error) => (error ? reject(error) : resolve())));
  }

  /** Reads the subtree at `path` into `into`; with a watcher, arms it on every node read. */
  private async walk(path: string, into: KeyValues, watcher?: Watcher): Promise<void> {
    const children = await this.children(path, watcher);
    if (children === undefined) {
      if (watcher) await this.existsWatch(path, watcher);
      return;
    }
    const visible = path === '/' ? children.filter((c) => c !== 'zookeeper') : children;
    if (visible.length === 0) {
      if (path === '/') return;
      const value = await this.data(path, watcher);
      if (value !== undefined) into[cleanKey(path)] = value;
      return;
    }
    await Promise.all(visible.map((child) => this.walk(path === '/' ? `/${child}` : `${path}/${child}`, into, watcher)));
  }

  async getValues(prefixes: readonly string[]): Promise<KeyValues> {
    const values: KeyValues = {};
    try {
      for (const prefix of coveringPrefixes(prefixes)) await this.walk(prefix, values);
    } catch (error) {
      throw new ConfdError(`zookeeper: ${(error as Error).message}`, { backend: 'zookeeper' }, { cause: error });
    }
    return values;
  }

  async *watchPrefix(prefix: string, keys: readonly string[], signal: AbortSignal): AsyncIterable<void> {
    const watched = coveringPrefixes(keys.length > 0 ? keys : [prefix]);
    const feed = new ChangeFeed();
    const notify = () => feed.notify();
    // One function for every node: the client registers it once per node, so re-arming
    // after each event does not pile up listeners.
    const watcher: Watcher = notify;
    this.sessionListeners.add(notify);
    const arm = async () => {
      try {
        for (const key of watched) await this.walk(key, {}, watcher);
      } catch (error) {
        throw new ConfdError(`zookeeper: ${(error as Error).message}`, { backend: 'zookeeper' }, { cause: error });
      }
    };
    try {
      await arm();
      for await (const _ of feed.changes(signal)) {
        // Re-arm first, then let the caller re-read: nothing can slip in between.
        await arm();
        yield;
      }
    } finally {
      this.sessionListeners.delete(notify);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.client?.close();
    this.client = undefined;
  }
}

export const createDatabase: DatabaseFactory = () => new ZookeeperDatabase();
