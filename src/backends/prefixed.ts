/**
 * A backend's `prefix` setting, applied in one place for every backend: the rest of
 * confd asks for resource keys (`/app/db`), the backend stores them under its prefix
 * (`/production/app/db`). confd joined the global prefix into each resource's prefix
 * instead; the keys a template sees are the same either way.
 */
import type { Database, DatabaseConfig, KeyValues } from '../database/database.js';
import { cleanKey, isUnderPrefix, joinKey, stripPrefix } from '../database/key-path.js';

export class PrefixedDatabase implements Database {
  private readonly prefix: string;

  constructor(
    private readonly inner: Database,
    prefix: string,
  ) {
    this.prefix = cleanKey(prefix);
  }

  get canWatch(): boolean | undefined {
    return this.inner.canWatch;
  }

  configure(config: DatabaseConfig): Promise<void> {
    return this.inner.configure(config);
  }

  async getValues(prefixes: readonly string[]): Promise<KeyValues> {
    const values = await this.inner.getValues(prefixes.map((p) => joinKey(this.prefix, p)));
    const out: KeyValues = {};
    // A key outside the prefix cannot be named in resource terms; the pass's own check
    // (keys must lie under what was asked for) reports anything else odd.
    for (const [key, value] of Object.entries(values)) {
      const clean = cleanKey(key);
      if (isUnderPrefix(clean, this.prefix)) out[stripPrefix(clean, this.prefix)] = value;
    }
    return out;
  }

  watchPrefix(prefix: string, keys: readonly string[], signal: AbortSignal): AsyncIterable<void> {
    return this.inner.watchPrefix(
      joinKey(this.prefix, prefix),
      keys.map((k) => joinKey(this.prefix, k)),
      signal,
    );
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The database itself when there is no prefix. */
export function withPrefix(database: Database, prefix: string): Database {
  return cleanKey(prefix) === '/' ? database : new PrefixedDatabase(database, prefix);
}
