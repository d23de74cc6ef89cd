/**
 * Resolves `--backend` to a configured Database: a built-in runs in-process, anything
 * else is an external `confd-database-<name>` plugin driven over gRPC.
 */
import { loadBuiltinDatabase } from '../../builtin/databases/index.js';
import { toDatabaseConfig } from '../config/database-config.js';
import type { Settings } from '../config/settings.js';
import type { Database } from '../database/database.js';
import { ConfdError } from '../errors.js';
import type { Logger } from '../log/logger.js';

export interface OpenedDatabase {
  database: Database;
  /** The name used in logs and errors (`env`, `redis`, or the plugin's name). */
  name: string;
  /** Set for external plugins. */
  pluginPath?: string;
}

function looksLikePath(backend: string): boolean {
  return backend.includes('/');
}

export async function openDatabase(settings: Settings, logger: Logger): Promise<OpenedDatabase> {
  const backend = settings.backend;
  const factory = looksLikePath(backend) ? undefined : await loadBuiltinDatabase(backend);
  if (factory) {
    const database = factory();
    try {
      await database.configure(toDatabaseConfig(settings));
    } catch (error) {
      await database.close().catch(() => {});
      throw new ConfdError(`backend ${backend}: ${(error as Error).message}`, { backend }, { cause: error });
    }
    return { database, name: backend };
  }
  void logger;
  throw new ConfdError(`invalid backend "${backend}": no built-in and no confd-database-${backend} plugin found`, { backend, setting: 'backend' });
}
