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
import { withPrefix } from './prefixed.js';
import { resolveBackend } from './resolve.js';
import { backendLabel, type BackendSpec } from './spec.js';
import { withSrvNodes } from './srv.js';

export interface OpenedDatabase {
  /** The backend, with its `prefix` applied: it is asked for, and answers with, resource keys. */
  database: Database;
  /** The name used in logs and errors: the backend (`env`, `redis`, a plugin's name) for `default`, else the named backend's name. */
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
    const name = backendLabel(spec);
    await configure(database, spec, name);
    return { database: withPrefix(database, spec.prefix, logger), name, gone: () => false };
  }

  const { path } = resolved;
  const name = backendLabel(spec, resolved.name);
  const host = await import('../plugin/host/index.js');
  const plugin = await host.launchPlugin({ name: resolved.name, path, logger: logger.child(`plugin.${resolved.name}`), startTimeoutMs: spec.pluginStartTimeoutMs });
  const database = new host.PluginDatabase(plugin);
  await configure(database, spec, name, path);
  return { database: withPrefix(database, spec.prefix, logger), name, pluginPath: path, exited: plugin.exited, gone: () => plugin.exitStatus !== undefined };
}

export interface OpenedBackends {
  /** The backends that opened, by name. */
  opened: Map<string, OpenedDatabase>;
  /** The ones that did not, by name, with why. */
  failures: Map<string, ConfdError>;
}

/** Opens several backends at once; one that fails does not stop the others. */
export async function openBackends(specs: Iterable<BackendSpec>, logger: Logger): Promise<OpenedBackends> {
  const result: OpenedBackends = { opened: new Map(), failures: new Map() };
  await Promise.all(
    [...specs].map(async (spec) => {
      try {
        result.opened.set(spec.name, await openDatabase(spec, logger));
      } catch (error) {
        result.failures.set(spec.name, toConfdError(error, { backend: spec.backend }));
      }
    }),
  );
  return result;
}
