/**
 * Opens the backend a BackendSpec names and configures it: a built-in runs in-process,
 * a plugin is launched (or reattached to) and reached over gRPC. Either way the caller
 * gets a Database whose every call has the spec's deadline (deadline.ts), plus — for
 * plugins — how to learn that the plugin has gone, check that it still answers, and
 * give up on it.
 */
import { loadBuiltinDatabase } from '../../builtin/databases/index.js';
import type { Database } from '../database/database.js';
import { ConfdError, toConfdError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { ExitStatus } from '../process/exit-status.js';
import { DeadlineDatabase } from './deadline.js';
import { withPrefix } from './prefixed.js';
import { resolveBackend } from './resolve.js';
import { backendLabel, type BackendSpec } from './spec.js';
import { withSrvNodes } from './srv.js';

export interface OpenedDatabase {
  /** The backend, with its `prefix` applied: it is asked for, and answers with, resource keys. */
  database: Database;
  /** The name used in logs and errors: the backend (`env`, `redis`, a plugin's name) for `default`, else `<name> (<backend>)`. */
  name: string;
  /** Set for external plugins: the executable, or the address of a reattached one. */
  pluginPath?: string;
  /** Resolves when a launched plugin's process exits; undefined otherwise. */
  exited?: Promise<ExitStatus>;
  /** Resolves when a plugin is gone (its process exited, or a reattached one's connection closed), with how. */
  lost?: Promise<string>;
  /** True for a plugin something else runs: confd reconnects to it, never restarts it. */
  reattached?: boolean;
  /** Plugins: resolves when the health check answers SERVING within the backend timeout. */
  ping?(): Promise<void>;
  /** Plugins: give up on one that stopped answering (kill it, or disconnect when reattached). */
  abandon?(reason: string): void;
  /** True once the plugin has gone (always false in-process). */
  gone(): boolean;
}

async function configure(database: Database, spec: BackendSpec, name: string, pluginPath?: string): Promise<void> {
  try {
    await database.configure(spec.config);
  } catch (error) {
    await database.close().catch(() => {});
    const e = toConfdError(error, { backend: name, pluginPath });
    // Errors from a plugin, and deadline errors, already say which backend they are about.
    throw e.message.startsWith('plugin ') || e.message.startsWith(`backend ${name}:`) ? e : new ConfdError(`backend ${name}: ${e.message}`, e.context, { cause: error });
  }
}

/** @param signal aborting kills a plugin that is still starting (SIGTERM during start-up). */
export async function openDatabase(requested: BackendSpec, logger: Logger, signal?: AbortSignal): Promise<OpenedDatabase> {
  const resolved = await resolveBackend(requested.backend, requested.pluginDirs, requested.plugins);
  const spec = await withSrvNodes(requested, logger);
  if (resolved.kind === 'builtin') {
    const factory = await loadBuiltinDatabase(resolved.name);
    if (!factory) throw new ConfdError(`no built-in backend named "${resolved.name}"`, { backend: resolved.name, setting: 'backend' });
    // Logs and errors keep the name the user wrote (`etcdv3` stays `etcdv3`).
    const name = backendLabel(spec);
    const database = new DeadlineDatabase(factory(), {
      timeoutMs: spec.timeoutMs,
      describe: (message) => new ConfdError(`backend ${name}: ${message}`, { backend: name }),
      onExpired: () => {},
    });
    await configure(database, spec, name);
    return { database: withPrefix(database, spec.prefix, logger), name, gone: () => false };
  }

  const host = await import('../plugin/host/index.js');
  const pluginLogger = logger
    .child(`plugin.${resolved.name}`)
    .withContext({ backend: backendLabel(requested, resolved.name), plugin: resolved.kind === 'reattach' ? resolved.address : resolved.path });
  const plugin =
    resolved.kind === 'reattach'
      ? await host.reattachPlugin({ name: resolved.name, address: resolved.address, logger: pluginLogger, maxMessageBytes: spec.maxMessageBytes, callTimeoutMs: spec.timeoutMs })
      : await host.launchPlugin({
          name: resolved.name,
          path: resolved.path,
          logger: pluginLogger,
          startTimeoutMs: spec.pluginStartTimeoutMs,
          requireMtls: spec.requireMtls,
          maxMessageBytes: spec.maxMessageBytes,
          trust: spec.plugins[resolved.name],
          signal,
        });
  const database = new DeadlineDatabase(new host.PluginDatabase(plugin), {
    timeoutMs: spec.timeoutMs,
    describe: (message) => host.pluginError(plugin.name, plugin.path, `${message}; ${plugin.reattached ? 'disconnected from it' : 'killed it'}`),
    onExpired: (call) => plugin.abandon(`${call} did not answer`),
  });
  // Until the caller holds it, the caller cannot stop it: honour the signal through Configure too.
  const onAbort = () => plugin.abandon('start-up interrupted');
  signal?.addEventListener('abort', onAbort, { once: true });
  const name = backendLabel(spec, plugin.name);
  try {
    await configure(database, spec, name, plugin.path);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return {
    database: withPrefix(database, spec.prefix, logger),
    name,
    pluginPath: plugin.path,
    exited: plugin instanceof host.PluginProcess ? plugin.exited : undefined,
    lost: plugin.lost,
    reattached: plugin.reattached,
    ping: () => host.pingPlugin(plugin, spec.timeoutMs),
    abandon: (reason) => plugin.abandon(reason),
    gone: () => plugin.lostAs !== undefined,
  };
}

export interface OpenedBackends {
  /** The backends that opened, by name. */
  opened: Map<string, OpenedDatabase>;
  /** The ones that did not, by name, with why. */
  failures: Map<string, ConfdError>;
}

/** Opens several backends at once; one that fails does not stop the others. */
export async function openBackends(specs: Iterable<BackendSpec>, logger: Logger, signal?: AbortSignal): Promise<OpenedBackends> {
  const result: OpenedBackends = { opened: new Map(), failures: new Map() };
  await Promise.all(
    [...specs].map(async (spec) => {
      try {
        result.opened.set(spec.name, await openDatabase(spec, logger, signal));
      } catch (error) {
        result.failures.set(spec.name, toConfdError(error, { backend: backendLabel(spec) }));
      }
    }),
  );
  return result;
}
