/**
 * Turns settings into the map a backend's `configure` receives. The key names are
 * those of the confd plugin draft (PR #568), so built-ins and external plugins get
 * the same map whatever they are called. See docs/plugin-protocol.md.
 */
import type { DatabaseConfig } from '../database/database.js';
import type { Settings } from './settings.js';

/**
 * The node list under every name PR #568 gives it: `machines` (etcd, zookeeper, redis),
 * `nodes` (consul), and — only when there are nodes, so a `[backend_config]` entry is not
 * blanked — `backendNodes` (rancher) and `address` (vault: the first node). SRV
 * discovery replaces the nodes through this same function.
 */
export function nodeConfig(nodes: readonly string[]): DatabaseConfig {
  const joined = nodes.join(',');
  return nodes.length === 0 ? { machines: '', nodes: '' } : { machines: joined, nodes: joined, backendNodes: joined, address: nodes[0] };
}

export function toDatabaseConfig(settings: Settings): DatabaseConfig {
  const config: DatabaseConfig = {
    ...nodeConfig(settings.nodes),
    yamlFile: settings.files.join(','),
    filter: settings.filter,
    key: settings.clientKey,
    cert: settings.clientCert,
    caCert: settings.clientCaKeys,
    basicAuth: String(settings.basicAuth),
    username: settings.username,
    password: settings.password,
    separator: settings.separator,
    // An argv array travels as JSON text: the map holds strings only.
    command: Array.isArray(settings.command) ? JSON.stringify(settings.command) : settings.command,
    shell: String(settings.shell),
    format: settings.format,
    watchMode: settings.watchMode,
    ...pluginOnlyConfig(settings),
  };
  // Plugin-specific options never override the standard keys silently: standard keys win.
  return { ...settings.backendConfig, ...config };
}

/**
 * confd's settings for backends we do not build in (vault, dynamodb, consul, …), by
 * PR #568's names. Only those that are set, so a `[backend_config]` entry of the same
 * name still reaches a plugin when the flag is not given.
 */
function pluginOnlyConfig(settings: Settings): DatabaseConfig {
  const config: DatabaseConfig = {
    scheme: settings.scheme,
    table: settings.table,
    authType: settings.authType,
    // PR #568 calls the vault token `token`; `authToken` names the same setting for newer plugins.
    token: settings.authToken,
    authToken: settings.authToken,
    'app-id': settings.appId,
    'user-id': settings.userId,
    'role-id': settings.roleId,
    'secret-id': settings.secretId,
    path: settings.authPath,
    clientInsecure: settings.clientInsecure ? 'true' : '',
  };
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== ''));
}
