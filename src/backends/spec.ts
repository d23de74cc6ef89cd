/**
 * What opening a backend depends on, and nothing else. `openDatabase` reads only a
 * BackendSpec, so "did the backend change?" (the daemon's SIGHUP question) is answered
 * from the very same value and cannot drift from what opening uses.
 */
import { toDatabaseConfig } from '../config/database-config.js';
import type { PluginSettings } from '../config/plugin-settings.js';
import type { Settings } from '../config/settings.js';
import type { DatabaseConfig } from '../database/database.js';

export interface BackendSpec {
  /** A built-in name, an external plugin name, or a path to a plugin executable. */
  backend: string;
  /** What `configure` receives (the confd plugin draft's key names). */
  config: DatabaseConfig;
  /** Extra directories searched for `confd-database-<name>`, in order. */
  pluginDirs: readonly string[];
  /** How long a plugin may take to print its handshake. */
  pluginStartTimeoutMs: number;
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

export function backendSpec(settings: Settings): BackendSpec {
  return {
    backend: settings.backend,
    config: toDatabaseConfig(settings),
    pluginDirs: settings.pluginDirs,
    pluginStartTimeoutMs: settings.pluginStartTimeoutMs,
    timeoutMs: settings.backendTimeoutMs,
    healthIntervalMs: settings.pluginHealthIntervalMs,
    requireMtls: settings.pluginRequireMtls,
    maxMessageBytes: settings.pluginMaxMessageBytes,
    plugins: settings.plugins,
  };
}

/** Equal for two specs exactly when opening them gives the same backend. */
export function backendIdentity(spec: BackendSpec): string {
  const sorted = (o: object) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const { backend, config, pluginDirs, pluginStartTimeoutMs, timeoutMs, healthIntervalMs, requireMtls, maxMessageBytes, plugins } = spec;
  return JSON.stringify([backend, sorted(config), pluginDirs, pluginStartTimeoutMs, timeoutMs, healthIntervalMs, requireMtls, maxMessageBytes, sorted(plugins)]);
}
