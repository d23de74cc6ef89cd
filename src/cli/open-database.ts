/**
 * Resolves `--backend` to a configured Database: a built-in name runs in-process;
 * anything else is an external `confd-database-<name>` plugin (found in --plugin-dir,
 * next to the confd install, or on PATH), or a path to a plugin executable.
 */
import { basename } from 'node:path';
import { loadBuiltinDatabase } from '../../builtin/databases/index.js';
import { toDatabaseConfig } from '../config/database-config.js';
import type { Settings } from '../config/settings.js';
import type { Database } from '../database/database.js';
import { ConfdError, toConfdError } from '../errors.js';
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

async function configure(database: Database, settings: Settings, name: string, pluginPath?: string): Promise<void> {
  try {
    await database.configure(toDatabaseConfig(settings));
  } catch (error) {
    await database.close().catch(() => {});
    const e = toConfdError(error, { backend: name, pluginPath });
    throw e.message.startsWith('plugin ') ? e : new ConfdError(`backend ${name}: ${e.message}`, e.context, { cause: error });
  }
}

export async function openDatabase(settings: Settings, logger: Logger): Promise<OpenedDatabase> {
  const backend = settings.backend;
  const factory = looksLikePath(backend) ? undefined : await loadBuiltinDatabase(backend);
  if (factory) {
    const database = factory();
    await configure(database, settings, backend);
    return { database, name: backend };
  }

  // External plugin: loaded lazily, so built-in runs never load grpc.
  const host = await import('../plugin/host/index.js');
  let path: string | undefined;
  let name: string;
  if (looksLikePath(backend)) {
    const problem = await host.checkPluginPath(backend);
    if (problem) throw new ConfdError(`plugin ${backend} ${problem}`, { backend, pluginPath: backend, setting: 'backend' });
    path = backend;
    name = host.pluginNameOf(basename(backend)) ?? basename(backend);
  } else {
    name = backend;
    path = await host.findPlugin(backend, host.pluginSearchDirs(settings.pluginDirs));
    if (!path) {
      throw new ConfdError(`invalid backend "${backend}": no built-in and no confd-database-${backend} executable in --plugin-dir, the confd install directory or PATH`, {
        backend,
        setting: 'backend',
      });
    }
  }
  const plugin = await host.launchPlugin({ name, path, logger: logger.child(`plugin.${name}`), startTimeoutMs: settings.pluginStartTimeoutMs });
  const database = new host.PluginDatabase(plugin);
  await configure(database, settings, name, path);
  return { database, name, pluginPath: path };
}
