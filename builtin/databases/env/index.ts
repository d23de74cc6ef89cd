/**
 * env: keys map to environment variables. `/database/host` ↔ `DATABASE_HOST`, and a
 * doubled underscore stands for a literal one: `/kafka/broker_id` ↔ `KAFKA_BROKER__ID`
 * (confd issue #737). Only upper-case variable names are considered, as in confd.
 * The environment cannot be watched, so watchPrefix reports that and the daemon polls.
 */
import { WatchUnsupportedError, type Database, type DatabaseConfig, type DatabaseFactory, type KeyValues } from '../../../src/database/database.js';
import { cleanKey, isUnderPrefix } from '../../../src/database/key-path.js';

/** `KAFKA_BROKER__ID` → `/kafka/broker_id`. */
export function envNameToKey(name: string): string {
  return cleanKey(
    name
      .split('__')
      .map((part) => part.toLowerCase().replaceAll('_', '/'))
      .join('_'),
  );
}

/** `/kafka/broker_id` → `KAFKA_BROKER__ID`. */
export function keyToEnvName(key: string): string {
  return cleanKey(key).slice(1).replaceAll('_', '__').replaceAll('/', '_').toUpperCase();
}

export class EnvDatabase implements Database {
  readonly canWatch = false;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async configure(_config: DatabaseConfig): Promise<void> {}

  async getValues(prefixes: readonly string[]): Promise<KeyValues> {
    const cleaned = prefixes.map(cleanKey);
    const values: KeyValues = {};
    for (const [name, value] of Object.entries(this.env)) {
      if (value === undefined || name !== name.toUpperCase()) continue;
      const key = envNameToKey(name);
      if (cleaned.some((prefix) => isUnderPrefix(key, prefix))) values[key] = value;
    }
    return values;
  }

  // eslint-disable-next-line require-yield
  async *watchPrefix(_prefix: string, _keys: readonly string[], _signal: AbortSignal): AsyncIterable<void> {
    throw new WatchUnsupportedError('env');
  }

  async close(): Promise<void> {}
}

export const createDatabase: DatabaseFactory = () => new EnvDatabase();
