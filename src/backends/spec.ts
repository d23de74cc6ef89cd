/**
 * What opening a backend depends on, and nothing else. `openDatabase` reads only a
 * BackendSpec, so "did the backend change?" (the daemon's SIGHUP question) is answered
 * from the very same value and cannot drift from what opening uses.
 */
import { toDatabaseConfig } from '../config/database-config.js';
import type { Settings } from '../config/settings.js';
import type { DatabaseConfig } from '../database/database.js';
import { srvDiscovery, type SrvDiscovery } from './srv.js';

export interface BackendSpec {
  /** A built-in name, an external plugin name, or a path to a plugin executable. */
  backend: string;
  /** What `configure` receives (the confd plugin draft's key names). */
  config: DatabaseConfig;
  /** Extra directories searched for `confd-database-<name>`, in order. */
  pluginDirs: readonly string[];
  /** How long a plugin may take to print its handshake. */
  pluginStartTimeoutMs: number;
  /** Set when the nodes come from a DNS SRV record, looked up each time the backend opens. */
  srv?: SrvDiscovery;
}

export function backendSpec(settings: Settings): BackendSpec {
  return {
    backend: settings.backend,
    config: toDatabaseConfig(settings),
    pluginDirs: settings.pluginDirs,
    pluginStartTimeoutMs: settings.pluginStartTimeoutMs,
    srv: srvDiscovery(settings),
  };
}

/** Equal for two specs exactly when opening them gives the same backend. */
export function backendIdentity(spec: BackendSpec): string {
  const sortedConfig = Object.fromEntries(Object.entries(spec.config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify([spec.backend, sortedConfig, spec.pluginDirs, spec.pluginStartTimeoutMs, spec.srv ?? null]);
}
