/**
 * Turns settings into the map a backend's `configure` receives. The key names are
 * those of the confd plugin draft (PR #568), so built-ins and external plugins get
 * the same map whatever they are called. See docs/plugin-protocol.md.
 */
import type { DatabaseConfig } from '../database/database.js';
import type { Settings } from './settings.js';

export function toDatabaseConfig(settings: Settings): DatabaseConfig {
  const nodes = settings.nodes.join(',');
  const config: DatabaseConfig = {
    machines: nodes,
    nodes,
    yamlFile: settings.files.join(','),
    filter: settings.filter,
    key: settings.clientKey,
    cert: settings.clientCert,
    caCert: settings.clientCaKeys,
    basicAuth: String(settings.basicAuth),
    username: settings.username,
    password: settings.password,
    separator: settings.separator,
    authToken: settings.authToken,
    // An argv array travels as JSON text: the map holds strings only.
    command: Array.isArray(settings.command) ? JSON.stringify(settings.command) : settings.command,
    shell: String(settings.shell),
    format: settings.format,
    watchMode: settings.watchMode,
  };
  // Plugin-specific options never override the standard keys silently: standard keys win.
  return { ...settings.backendConfig, ...config };
}
