/**
 * What opening a backend depends on, and nothing else. `openDatabase` reads only a
 * BackendSpec, so "did the backend change?" (the daemon's SIGHUP question) is answered
 * from the very same value and cannot drift from what opening uses.
 */
import { toDatabaseConfig } from '../config/database-config.js';
import { backendNames, settingsForBackend } from '../config/named-backends.js';
import type { PluginSettings } from '../config/plugin-settings.js';
import { DEFAULT_BACKEND, type Settings } from '../config/settings.js';
import type { DatabaseConfig } from '../database/database.js';
import { srvDiscovery, type SrvDiscovery } from './srv.js';

export interface BackendSpec {
  /** The backend's name in confd.toml: `default` (the top level) or a `[backends.<name>]` table. */
  name: string;
  /** A built-in name, an external plugin name, or a path to a plugin executable. */
  backend: string;
  /** Joined in front of every key this backend is asked for. */
  prefix: string;
  /** What `configure` receives (the confd plugin draft's key names). */
  config: DatabaseConfig;
  /** Extra directories searched for `confd-database-<name>`, in order. */
  pluginDirs: readonly string[];
  /** How long a plugin may take to print its handshake. */
  pluginStartTimeoutMs: number;
  /** Set when the nodes come from a DNS SRV record, looked up each time the backend opens. */
  srv?: SrvDiscovery;
  /** The deadline of every Configure and GetValues call (and of a plugin's health check). */
  timeoutMs: number;
  /** How often the daemon checks that a plugin still answers (0: never). */
  healthIntervalMs: number;
  /** Refuse a plugin that does not answer AutoMTLS with a certificate. */
  requireMtls: boolean;
  /** The largest gRPC message exchanged with a plugin. */
  maxMessageBytes: number;
  /** Trust settings by plugin name (`[plugins.<name>]`): checksum, reattach, account, environment. */
  plugins: Readonly<Record<string, PluginSettings>>;
}

export function backendSpec(settings: Settings, name: string = DEFAULT_BACKEND): BackendSpec {
  const own = settingsForBackend(settings, name);
  return {
    name,
    backend: own.backend,
    prefix: own.prefix,
    config: toDatabaseConfig(own),
    pluginDirs: own.pluginDirs,
    pluginStartTimeoutMs: own.pluginStartTimeoutMs,
    srv: srvDiscovery(own),
    timeoutMs: own.backendTimeoutMs,
    healthIntervalMs: own.pluginHealthIntervalMs,
    requireMtls: own.pluginRequireMtls,
    maxMessageBytes: own.pluginMaxMessageBytes,
    plugins: own.plugins,
  };
}

/** The specs of the named backends (default first), or of every backend when `names` is not given. */
export function backendSpecs(settings: Settings, names: Iterable<string> = backendNames(settings)): Map<string, BackendSpec> {
  const specs = new Map<string, BackendSpec>();
  for (const name of names) specs.set(name, backendSpec(settings, name));
  return specs;
}

/** Equal for two specs exactly when opening them gives the same backend. */
export function backendIdentity(spec: BackendSpec): string {
  const sorted = (o: object) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const { name, backend, prefix, config, pluginDirs, pluginStartTimeoutMs, srv, timeoutMs, healthIntervalMs, requireMtls, maxMessageBytes, plugins } = spec;
  return JSON.stringify([name, backend, prefix, sorted(config), pluginDirs, pluginStartTimeoutMs, srv ?? null, timeoutMs, healthIntervalMs, requireMtls, maxMessageBytes, sorted(plugins)]);
}

/** How logs and errors name a backend: `etcd` for the top level (as confd does), `prod (etcd)` for a named one. */
export function backendLabel(spec: BackendSpec, backend: string = spec.backend): string {
  return spec.name === DEFAULT_BACKEND ? backend : `${spec.name} (${backend})`;
}
