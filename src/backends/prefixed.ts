/**
 * A backend's `prefix` setting, applied in one place for every backend: the rest of
 * confd asks for resource keys (`/app/db`), the backend stores them under its prefix
 * (`/production/app/db`). confd joined the global prefix into each resource's prefix
 * instead; the keys a template sees are the same either way.
 */
import type { Database, DatabaseConfig, GetValuesOptions, KeyValues } from '../database/database.js';
import { cleanKey, joinKey } from '../database/key-path.js';
import type { Logger } from '../log/logger.js';

export class PrefixedDatabase implements Database {
  private readonly prefix: string;

  constructor(
    private readonly inner: Database,
    prefix: string,
    private readonly logger?: Logger,
  ) {
    this.prefix = cleanKey(prefix);
  }

  get canWatch(): boolean | undefined {
    return this.inner.canWatch;
  }

  configure(config: DatabaseConfig): Promise<void> {
    return this.inner.configure(config);
  }

  async getValues(prefixes: readonly string[], options?: GetValuesOptions): Promise<KeyValues> {
    const values = await this.inner.getValues(prefixes.map((p) => joinKey(this.prefix, p)), options);
    const out: KeyValues = {};
    const foreign: string[] = [];
    for (const [key, value] of Object.entries(values)) {
      // Stripped as text, not cleaned: a `..` segment must reach the pass's key check
      // (src/resource/key-scope.ts), which drops it; cleaning here would hide it.
      if (key === this.prefix) out['/'] = value;
      else if (key.startsWith(this.prefix + '/')) out[key.slice(this.prefix.length)] = value;
      else foreign.push(key);
    }
    // A key outside the backend's own prefix cannot be named in resource terms at all.
    if (foreign.length > 0) this.logger?.warn(`backend returned ${foreign.length} key(s) outside its prefix ${this.prefix}; ignored: ${foreign.slice(0, 10).map((k) => JSON.stringify(k)).join(', ')}`);
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
export function withPrefix(database: Database, prefix: string, logger?: Logger): Database {
  return cleanKey(prefix) === '/' ? database : new PrefixedDatabase(database, prefix, logger);
}
