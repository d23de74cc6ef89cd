/** Counts getValues calls on a real backend (a wrapper, not a fake: the data is real). */
import type { Database, DatabaseConfig, KeyValues } from '../../src/database/database.js';

export class CountingDatabase implements Database {
  calls: string[][] = [];
  constructor(private readonly inner: Database) {}
  configure(config: DatabaseConfig): Promise<void> {
    return this.inner.configure(config);
  }
  getValues(prefixes: readonly string[]): Promise<KeyValues> {
    this.calls.push([...prefixes]);
    return this.inner.getValues(prefixes);
  }
  watchPrefix(prefix: string, keys: readonly string[], signal: AbortSignal): AsyncIterable<void> {
    return this.inner.watchPrefix(prefix, keys, signal);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
