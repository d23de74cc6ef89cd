/**
 * The single table of settings. It drives the command-line flags, the `CONFD_*`
 * environment variables and the confd.toml/confd.yaml keys, so the three can never
 * drift apart. Names follow confd's.
 */
import type { Settings } from './settings.js';

export type OptionKind = 'string' | 'boolean' | 'list' | 'integer' | 'duration' | 'wait' | 'level' | 'format' | 'engine';

export interface OptionSpec {
  /** The Settings field it fills. */
  field: keyof Settings;
  /** Long flag name without dashes. */
  flag: string;
  kind: OptionKind;
  description: string;
  /** `<value>` placeholder shown in help. */
  valueName?: string;
  /** Keys accepted in confd.toml / confd.yaml (matched case-insensitively, `-` and `_` alike). */
  fileKeys: string[];
  /** Extra environment variable names confd itself read (e.g. CONFD_CLIENT_CAKEYS). */
  legacyEnv?: string[];
  /** Not settable from the config file (it locates the file). */
  notInFile?: boolean;
}

export const OPTIONS: readonly OptionSpec[] = [
  { field: 'confdir', flag: 'confdir', kind: 'string', valueName: 'dir', description: 'confd conf directory (holds conf.d/ and templates/)', fileKeys: ['confdir'] },
  { field: 'configFile', flag: 'config-file', kind: 'string', valueName: 'path', description: 'the confd config file (default <confdir>/confd.toml, or confd.yaml)', fileKeys: [], notInFile: true },
  { field: 'backend', flag: 'backend', kind: 'string', valueName: 'name', description: 'backend: env, file, etcd (= etcdv3), redis, zookeeper, a confd-database-<name> plugin, or a plugin path', fileKeys: ['backend'] },
  { field: 'nodes', flag: 'node', kind: 'list', valueName: 'address', description: 'backend node address (repeatable)', fileKeys: ['nodes', 'node'] },
  { field: 'prefix', flag: 'prefix', kind: 'string', valueName: 'prefix', description: 'key prefix, joined in front of every resource prefix', fileKeys: ['prefix'] },
  { field: 'noop', flag: 'noop', kind: 'boolean', description: 'render and compare only; never write or run commands', fileKeys: ['noop'] },
  { field: 'diff', flag: 'diff', kind: 'boolean', description: 'with --noop, print a unified diff of what would change', fileKeys: ['diff'] },
  { field: 'syncOnly', flag: 'sync-only', kind: 'boolean', description: 'write files but run no check_cmd or reload_cmd', fileKeys: ['sync-only', 'syncOnly'] },
  { field: 'keepStageFile', flag: 'keep-stage-file', kind: 'boolean', description: 'keep the staged file next to dest', fileKeys: ['keep-stage-file', 'keepStageFile'] },
  { field: 'logLevel', flag: 'log-level', kind: 'level', valueName: 'level', description: 'trace, debug, info, warn or error', fileKeys: ['log-level'] },
  { field: 'logFormat', flag: 'log-format', kind: 'format', valueName: 'format', description: 'text or json', fileKeys: ['log-format'] },
  { field: 'files', flag: 'file', kind: 'list', valueName: 'path', description: 'file backend: a YAML/JSON/TOML file or directory (repeatable)', fileKeys: ['file', 'files'] },
  { field: 'filter', flag: 'filter', kind: 'string', valueName: 'glob', description: 'file backend: glob on base names when walking directories', fileKeys: ['filter'] },
  { field: 'separator', flag: 'separator', kind: 'string', valueName: 'sep', description: 'redis: the separator that replaces / in keys', fileKeys: ['separator'] },
  { field: 'username', flag: 'username', kind: 'string', valueName: 'user', description: 'backend username (basic auth)', fileKeys: ['username'] },
  { field: 'password', flag: 'password', kind: 'string', valueName: 'password', description: 'backend password', fileKeys: ['password'] },
  { field: 'clientCert', flag: 'client-cert', kind: 'string', valueName: 'path', description: 'TLS client certificate', fileKeys: ['client_cert'] },
  { field: 'clientKey', flag: 'client-key', kind: 'string', valueName: 'path', description: 'TLS client key', fileKeys: ['client_key'] },
  { field: 'clientCaKeys', flag: 'client-ca-keys', kind: 'string', valueName: 'path', description: 'TLS CA certificate', fileKeys: ['client_cakeys', 'client_ca_keys'], legacyEnv: ['CONFD_CLIENT_CAKEYS'] },
  { field: 'basicAuth', flag: 'basic-auth', kind: 'boolean', description: 'use basic auth with --username/--password', fileKeys: ['basic_auth'] },
  { field: 'interval', flag: 'interval', kind: 'integer', valueName: 'seconds', description: 'seconds between polls and full resyncs in watch mode', fileKeys: ['interval'] },
  { field: 'watch', flag: 'watch', kind: 'boolean', description: 'watch backends for changes (watch mode)', fileKeys: ['watch'] },
  { field: 'wait', flag: 'wait', kind: 'wait', valueName: 'min:max', description: 'watch mode debounce, e.g. 2s:10s', fileKeys: ['wait'] },
  { field: 'pluginDirs', flag: 'plugin-dir', kind: 'list', valueName: 'dir', description: 'directory searched first for confd-database-<name> plugins (repeatable)', fileKeys: ['plugin_dir', 'plugin_dirs'] },
  { field: 'templateEngine', flag: 'template-engine', kind: 'engine', valueName: 'name', description: 'template language: handlebars (default) or go (confd\'s Go text/template)', fileKeys: ['template_engine'] },
  { field: 'pluginStartTimeoutMs', flag: 'plugin-start-timeout', kind: 'duration', valueName: 'duration', description: 'how long a plugin may take to start (default 60s)', fileKeys: ['plugin_start_timeout'] },
];

/** confd keys we accept in the file but do not use (their backends are not built in). */
export const IGNORED_FILE_KEYS: readonly string[] = [
  'onetime', 'scheme', 'srv_domain', 'srv_record', 'auth_token', 'auth_type', 'app_id', 'user_id',
  'role_id', 'secret_id', 'path', 'table', 'client_insecure', 'configdir', 'templatedir', 'printversion', 'configfile',
];

export function envNameFor(spec: OptionSpec): string {
  return `CONFD_${spec.flag.toUpperCase().replaceAll('-', '_')}`;
}

/** Normalises a file key for matching: case-insensitive, `-` and `_` alike. */
export function normaliseFileKey(key: string): string {
  return key.toLowerCase().replaceAll('-', '_');
}
