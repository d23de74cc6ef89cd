/** Exponential backoff with a cap, and an abortable sleep. */

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor?: number;
}

export class Backoff {
  private attemptCount = 0;

  constructor(private readonly options: BackoffOptions) {}

  /** Failed attempts since the last reset. */
  get attempts(): number {
    return this.attemptCount;
  }

  /** The delay before the next attempt: initial, initial×factor, … capped at max. */
  next(): number {
    const factor = this.options.factor ?? 2;
    const delay = Math.min(this.options.maxMs, this.options.initialMs * factor ** this.attemptCount);
    this.attemptCount++;
    return delay;
  }

  reset(): void {
    this.attemptCount = 0;
  }
}

/** Resolves after `ms`, or at once (without throwing) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The cap every daemon retry uses (backend, plugin restart, reload_cmd). */
export const MAX_BACKOFF_MS = 30_000;
