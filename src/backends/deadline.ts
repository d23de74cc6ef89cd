/**
 * Every backend call has a deadline (`backend_timeout`), for built-ins and plugins
 * alike: this decorator wraps whatever `openDatabase` opened. When Configure or
 * GetValues does not answer in time the caller gets a BackendTimeoutError naming the
 * backend, the call and the timeout, and `onExpired` runs (for a plugin: kill it, it
 * stopped answering). The late answer, if it ever comes, is dropped.
 *
 * WatchPrefix is not bounded: a silent stream is a quiet backend, not a hung one. close()
 * is bounded too (by the timeout, at most CLOSE_TIMEOUT_MS), so shutting down never hangs
 * on a dead server.
 */
import { formatDuration } from '../config/duration.js';
import type { Database, DatabaseConfig, GetValuesOptions, KeyValues } from '../database/database.js';
import { ConfdError } from '../errors.js';

/** What expired; kept as the error's cause, which survives the context wrapping errors get on the way up. */
export class DeadlineExpired extends Error {
  constructor(
    readonly call: string,
    readonly timeoutMs: number,
  ) {
    super(`${call} did not answer within ${formatDuration(timeoutMs)} (backend_timeout)`);
    this.name = 'DeadlineExpired';
  }
}

/** Closing is quick when it works (a plugin's Shutdown grace is 2 s); past this it is abandoned. */
export const CLOSE_TIMEOUT_MS = 5000;

export class BackendTimeoutError extends ConfdError {
  constructor(message: string, context: ConstructorParameters<typeof ConfdError>[1], expired: DeadlineExpired) {
    super(message, context, { cause: expired });
    this.name = 'BackendTimeoutError';
  }
}

/** True for a backend call that did not answer in time, however often the error was wrapped since. */
export function isDeadlineError(error: unknown): boolean {
  return error instanceof Error && (error instanceof BackendTimeoutError || error.cause instanceof DeadlineExpired);
}

export interface DeadlineOptions {
  timeoutMs: number;
  /** Builds the error: `backend etcd: …` or `plugin x (/path): …`. */
  describe(message: string): ConfdError;
  /** The backend stopped answering a call. */
  onExpired(call: string): void;
}

/** Runs `work` with a deadline; on expiry rejects with `onTimeout()` and leaves `work` to settle unobserved. */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), timeoutMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export class DeadlineDatabase implements Database {
  constructor(
    readonly inner: Database,
    private readonly options: DeadlineOptions,
  ) {}

  get canWatch(): boolean | undefined {
    return this.inner.canWatch;
  }

  configure(config: DatabaseConfig): Promise<void> {
    return this.bounded('Configure', () => this.inner.configure(config));
  }

  getValues(prefixes: readonly string[], options?: GetValuesOptions): Promise<KeyValues> {
    return this.bounded('GetValues', () => this.inner.getValues(prefixes, options));
  }

  watchPrefix(prefix: string, keys: readonly string[], signal: AbortSignal): AsyncIterable<void> {
    return this.inner.watchPrefix(prefix, keys, signal);
  }

  /** Bounded too; a close that does not finish in time is abandoned, not awaited. */
  async close(): Promise<void> {
    let timedOut = false;
    const timeoutMs = Math.min(this.options.timeoutMs, CLOSE_TIMEOUT_MS);
    await withTimeout(this.inner.close(), timeoutMs, () => ((timedOut = true), new Error('close timed out'))).catch((error: unknown) => {
      if (!timedOut) throw error;
    });
  }

  private bounded<T>(call: string, run: () => Promise<T>): Promise<T> {
    const { timeoutMs } = this.options;
    return withTimeout(run(), timeoutMs, () => {
      this.options.onExpired(call);
      const expired = new DeadlineExpired(call, timeoutMs);
      const error = this.options.describe(expired.message);
      return new BackendTimeoutError(error.message, error.context, expired);
    });
  }
}
