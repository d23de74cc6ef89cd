/**
 * The one interface every backend implements: built-ins in builtin/databases/* run
 * in-process, external plugins are reached through src/plugin/host. The render
 * pipeline never asks which kind it holds.
 */

/** Settings handed to a backend, under the confd plugin draft's key names (docs/plugin-protocol.md). */
export type DatabaseConfig = Record<string, string>;

/**
 * Absolute key (`/database/host`) → value. A backend may return keys verbatim (with `//`
 * or `..`): the render pass cleans them and drops those outside the requested prefixes.
 */
export type KeyValues = Record<string, string>;

/** Hints a caller may give {@link Database.getValues}; a backend may ignore them all. */
export interface GetValuesOptions {
  /**
   * The read follows a change that this backend's own watch reported, and nothing else:
   * a backend may answer from values its watches keep current (etcd does). Any other read
   * (start-up, interval resync, retry, reload) must reach the store, so a watch that went
   * silently dead is caught by the next resync.
   */
  afterWatchEvent?: boolean;
}

export interface Database {
  /**
   * False when the backend has no change notifications (env); the daemon then polls
   * without trying to watch. Undefined means "try watchPrefix and see".
   */
  readonly canWatch?: boolean;

  /** Called once before any other method; may connect. */
  configure(config: DatabaseConfig): Promise<void>;

  /**
   * Every key under each prefix (a prefix matches itself and keys below it by whole
   * path segment: `/app` never matches `/application`). Keys come back absolute.
   */
  getValues(prefixes: readonly string[], options?: GetValuesOptions): Promise<KeyValues>;

  /**
   * Yields once each time something under `prefix` may have changed. Spurious
   * events are allowed (the caller re-fetches and compares); missed ones are not.
   * Ends when `signal` aborts. A backend that cannot watch throws
   * {@link WatchUnsupportedError} so the caller falls back to polling.
   */
  watchPrefix(prefix: string, keys: readonly string[], signal: AbortSignal): AsyncIterable<void>;

  /** Releases connections, watches and child processes. Safe to call twice. */
  close(): Promise<void>;
}

/** Thrown by {@link Database.watchPrefix} when the backend has no change notifications. */
export class WatchUnsupportedError extends Error {
  constructor(backend: string) {
    super(`backend ${backend} cannot watch; it will be polled`);
    this.name = 'WatchUnsupportedError';
  }
}

/** Makes a fresh, unconfigured Database. */
export type DatabaseFactory = () => Database;
