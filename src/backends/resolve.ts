/**
 * Which backend a name means: a plugin that `[plugins.<name>] reattach` says something
 * else runs, a built-in (run in-process), or an external `confd-database-<name>` plugin
 * found in --plugin-dir, next to the confd install or on PATH, or a path to a plugin
 * executable. The one place this is decided, for opening a backend and for
 * `confd plugins inspect`.
 */
import { basename } from 'node:path';
import { canonicalBuiltinName } from '../../builtin/databases/index.js';
import type { PluginSettings } from '../config/plugin-settings.js';
import { ConfdError } from '../errors.js';

export type ResolvedBackend =
  | { kind: 'builtin'; /** The canonical built-in name (`etcdv3` → `etcd`). */ name: string }
  | { kind: 'plugin'; /** The name used in logs and errors. */ name: string; path: string }
  | { kind: 'reattach'; name: string; /** `unix:/path` or `tcp:127.0.0.1:PORT`. */ address: string };

function looksLikePath(backend: string): boolean {
  return backend.includes('/');
}

/** The canonical built-in `backend` names (run in-process), if it names one; undefined for a plugin to launch or reattach to. */
export function builtinBackend(backend: string, plugins: Readonly<Record<string, PluginSettings>> = {}): string | undefined {
  // An explicit reattach wins over everything: the user said who runs this plugin.
  if (looksLikePath(backend) || plugins[backend]?.reattach) return undefined;
  return canonicalBuiltinName(backend);
}

export async function resolveBackend(backend: string, pluginDirs: readonly string[], plugins: Readonly<Record<string, PluginSettings>> = {}): Promise<ResolvedBackend> {
  const reattach = looksLikePath(backend) ? undefined : plugins[backend]?.reattach;
  if (reattach) return { kind: 'reattach', name: backend, address: reattach };
  const builtin = builtinBackend(backend, plugins);
  if (builtin) return { kind: 'builtin', name: builtin };
  // External plugin: the host loads lazily, so built-in runs never load grpc.
  const host = await import('../plugin/host/discovery.js');
  if (looksLikePath(backend)) {
    const problem = await host.checkPluginPath(backend);
    if (problem) throw new ConfdError(`plugin ${backend} ${problem}`, { backend, pluginPath: backend, setting: 'backend' });
    return { kind: 'plugin', name: host.pluginNameOf(basename(backend)) ?? basename(backend), path: backend };
  }
  const path = await host.findPlugin(backend, host.pluginSearchDirs(pluginDirs));
  if (!path) {
    throw new ConfdError(`invalid backend "${backend}": no built-in and no confd-database-${backend} executable in --plugin-dir, the confd install directory or PATH`, {
      backend,
      setting: 'backend',
    });
  }
  return { kind: 'plugin', name: backend, path };
}
