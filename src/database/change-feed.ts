/**
 * Turns callback-style change notifications (etcd watch events, redis keyspace messages,
 * zookeeper watches, a gRPC stream) into the async iterable `watchPrefix` returns.
 * Notifications that arrive while the consumer is busy collapse into one — it re-reads
 * everything anyway — and none is lost. `fail` ends the iteration with an error.
 */
export class ChangeFeed {
  private pending = false;
  private failure: Error | undefined;
  private ended = false;
  private wake: (() => void) | undefined;

  notify(): void {
    this.pending = true;
    this.wake?.();
  }

  fail(error: Error): void {
    this.failure ??= error;
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  /** Yields once per batch of notifications until `signal` aborts, the feed ends, or fails. */
  async *changes(signal: AbortSignal): AsyncGenerator<void> {
    const onAbort = () => this.wake?.();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal.aborted) {
        if (this.pending) {
          this.pending = false;
          yield;
          continue;
        }
        if (this.failure) throw this.failure;
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}
