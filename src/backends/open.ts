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
import { resolveBackend } from './resolve.js';
import type { BackendSpec } from './spec.js';

export interface OpenedDatabase {
  database: Database;
  /** The name used in logs and errors (`env`, `redis`, or the plugin's name). */
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
export async function openDatabase(spec: BackendSpec, logger: Logger, signal?: AbortSignal): Promise<OpenedDatabase> {
  const resolved = await resolveBackend(spec.backend, spec.pluginDirs, spec.plugins);
  if (resolved.kind === 'builtin') {
    const factory = await loadBuiltinDatabase(resolved.name);
    if (!factory) throw new ConfdError(`no built-in backend named "${resolved.name}"`, { backend: resolved.name, setting: 'backend' });
    // Logs and errors keep the name the user wrote (`etcdv3` stays `etcdv3`).
    const name = spec.backend;
    const database = new DeadlineDatabase(factory(), {
      timeoutMs: spec.timeoutMs,
      describe: (message) => new ConfdError(`backend ${name}: ${message}`, { backend: name }),
      onExpired: () => {},
    });
    await configure(database, spec, name);
    return { database, name, gone: () => false };
  }

  const host = await import('../plugin/host/index.js');
  const pluginLogger = logger.child(`plugin.${resolved.name}`);
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
  try {
    await configure(database, spec, plugin.name, plugin.path);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return {
    database,
    name: plugin.name,
    pluginPath: plugin.path,
    exited: plugin instanceof host.PluginProcess ? plugin.exited : undefined,
    lost: plugin.lost,
    reattached: plugin.reattached,
    ping: () => host.pingPlugin(plugin, spec.timeoutMs),
    abandon: (reason) => plugin.abandon(reason),
    gone: () => plugin.lostAs !== undefined,
  };
}
