/**
 * Opens the backend a BackendSpec names and configures it: a built-in runs in-process,
 * a plugin is launched and reached over gRPC. Either way the caller gets a Database,
 * plus — for plugins — how to learn that the process has gone.
 */
import { loadBuiltinDatabase } from '../../builtin/databases/index.js';
import type { Database } from '../database/database.js';
import { ConfdError, toConfdError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { ExitStatus } from '../process/exit-status.js';
import { resolveBackend } from './resolve.js';
import type { BackendSpec } from './spec.js';
import { withSrvNodes } from './srv.js';

export interface OpenedDatabase {
  database: Database;
  /** The name used in logs and errors (`env`, `redis`, or the plugin's name). */
  name: string;
  /** Set for external plugins. */
  pluginPath?: string;
  /** Resolves when the plugin process exits; undefined for in-process backends. */
  exited?: Promise<ExitStatus>;
  /** True once the backend's process has exited (always false in-process). */
  gone(): boolean;
}

async function configure(database: Database, spec: BackendSpec, name: string, pluginPath?: string): Promise<void> {
  try {
    await database.configure(spec.config);
  } catch (error) {
    await database.close().catch(() => {});
    const e = toConfdError(error, { backend: name, pluginPath });
    throw e.message.startsWith('plugin ') ? e : new ConfdError(`backend ${name}: ${e.message}`, e.context, { cause: error });
  }
}

export async function openDatabase(requested: BackendSpec, logger: Logger): Promise<OpenedDatabase> {
  const resolved = await resolveBackend(requested.backend, requested.pluginDirs);
  const spec = await withSrvNodes(requested, logger);
  if (resolved.kind === 'builtin') {
    const factory = await loadBuiltinDatabase(resolved.name);
    if (!factory) throw new ConfdError(`no built-in backend named "${resolved.name}"`, { backend: resolved.name, setting: 'backend' });
    const database = factory();
    // Logs and errors keep the name the user wrote (`etcdv3` stays `etcdv3`).
    await configure(database, spec, spec.backend);
    return { database, name: spec.backend, gone: () => false };
  }

  const { name, path } = resolved;
  const host = await import('../plugin/host/index.js');
  const plugin = await host.launchPlugin({ name, path, logger: logger.child(`plugin.${name}`), startTimeoutMs: spec.pluginStartTimeoutMs });
  const database = new host.PluginDatabase(plugin);
  await configure(database, spec, name, path);
  return { database, name, pluginPath: path, exited: plugin.exited, gone: () => plugin.exitStatus !== undefined };
}
