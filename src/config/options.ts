/**
 * The single table of settings. It drives the command-line flags, the `CONFD_*`
 * environment variables and the confd.toml/confd.yaml keys, so the three can never
 * drift apart. Names follow confd's.
 */
import type { Settings } from './settings.js';

export type OptionKind = 'string' | 'boolean' | 'list' | 'integer' | 'count' | 'duration' | 'wait' | 'level' | 'format' | 'command';

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
  /**
   * `backend`: a setting of one backend, allowed in `[backends.<name>]` tables too
   * (each named backend has its own). Others are global.
   */
  scope?: 'backend';
}

export const OPTIONS: readonly OptionSpec[] = [
  { field: 'confdir', flag: 'confdir', kind: 'string', valueName: 'dir', description: 'confd conf directory (holds conf.d/ and templates/)', fileKeys: ['confdir'] },
  { field: 'configFile', flag: 'config-file', kind: 'string', valueName: 'path', description: 'the confd config file (default <confdir>/confd.toml, or confd.yaml)', fileKeys: [], notInFile: true },
  { field: 'backend', flag: 'backend', kind: 'string', valueName: 'name', description: 'backend: env, file, etcd (= etcdv3), redis, zookeeper, a confd-database-<name> plugin, or a plugin path', fileKeys: ['backend'], scope: 'backend' },
  { field: 'nodes', flag: 'node', kind: 'list', valueName: 'address', description: 'backend node address (repeatable)', fileKeys: ['nodes', 'node'], scope: 'backend' },
  { field: 'prefix', flag: 'prefix', kind: 'string', valueName: 'prefix', description: 'key prefix, joined in front of every resource prefix', fileKeys: ['prefix'], scope: 'backend' },
  { field: 'noop', flag: 'noop', kind: 'boolean', description: 'render and compare only; never write or run commands', fileKeys: ['noop'] },
  { field: 'diff', flag: 'diff', kind: 'boolean', description: 'with --noop, print a unified diff of what would change', fileKeys: ['diff'] },
  { field: 'diffRedact', flag: 'diff-redact', kind: 'boolean', description: 'with --noop --diff, mask values in the diff (a plain diff prints file content, secrets included)', fileKeys: ['diff_redact'] },
  { field: 'syncOnly', flag: 'sync-only', kind: 'boolean', description: 'write files but run no check_cmd or reload_cmd', fileKeys: ['sync-only', 'syncOnly'] },
  { field: 'keepStageFile', flag: 'keep-stage-file', kind: 'boolean', description: 'keep the staged file next to dest', fileKeys: ['keep-stage-file', 'keepStageFile'] },
  { field: 'logLevel', flag: 'log-level', kind: 'level', valueName: 'level', description: 'trace, debug, info, warn or error', fileKeys: ['log-level'] },
  { field: 'logFormat', flag: 'log-format', kind: 'format', valueName: 'format', description: 'text or json', fileKeys: ['log-format'] },
  { field: 'files', flag: 'file', kind: 'list', valueName: 'path', description: 'file backend: a YAML/JSON/TOML file or directory (repeatable)', fileKeys: ['file', 'files'], scope: 'backend' },
  { field: 'filter', flag: 'filter', kind: 'string', valueName: 'glob', description: 'file backend: glob on base names when walking directories', fileKeys: ['filter'], scope: 'backend' },
  { field: 'separator', flag: 'separator', kind: 'string', valueName: 'sep', description: 'redis: the separator that replaces / in keys', fileKeys: ['separator'], scope: 'backend' },
  { field: 'username', flag: 'username', kind: 'string', valueName: 'user', description: 'backend username (basic auth)', fileKeys: ['username'], scope: 'backend' },
  { field: 'password', flag: 'password', kind: 'string', valueName: 'password', description: 'backend password', fileKeys: ['password'], scope: 'backend' },
  { field: 'clientCert', flag: 'client-cert', kind: 'string', valueName: 'path', description: 'TLS client certificate', fileKeys: ['client_cert'], scope: 'backend' },
  { field: 'clientKey', flag: 'client-key', kind: 'string', valueName: 'path', description: 'TLS client key', fileKeys: ['client_key'], scope: 'backend' },
  { field: 'clientCaKeys', flag: 'client-ca-keys', kind: 'string', valueName: 'path', description: 'TLS CA certificate', fileKeys: ['client_cakeys', 'client_ca_keys'], legacyEnv: ['CONFD_CLIENT_CAKEYS'], scope: 'backend' },
  { field: 'basicAuth', flag: 'basic-auth', kind: 'boolean', description: 'use basic auth with --username/--password', fileKeys: ['basic_auth'], scope: 'backend' },
  { field: 'authToken', flag: 'auth-token', kind: 'string', valueName: 'token', description: 'http backend: bearer token sent as Authorization: Bearer <token>', fileKeys: ['auth_token'], scope: 'backend' },
  { field: 'command', flag: 'command', kind: 'command', valueName: 'cmd', description: 'exec backend: the command that prints the data (split into words, no shell; an array in the config file is argv)', fileKeys: ['command'], scope: 'backend' },
  { field: 'shell', flag: 'shell', kind: 'boolean', description: 'exec backend: run --command with /bin/sh -c', fileKeys: ['shell'], scope: 'backend' },
  { field: 'format', flag: 'format', kind: 'string', valueName: 'format', description: 'exec and http backends: json, yaml, toml, env or auto (default: by the output or content type)', fileKeys: ['format'], scope: 'backend' },
  { field: 'watchMode', flag: 'watch-mode', kind: 'string', valueName: 'mode', description: 'exec backend: poll (run --command every --interval, default) or stream (one long-running command)', fileKeys: ['watch_mode'], scope: 'backend' },
  { field: 'interval', flag: 'interval', kind: 'integer', valueName: 'seconds', description: 'seconds between polls and full resyncs in watch mode', fileKeys: ['interval'] },
  { field: 'watch', flag: 'watch', kind: 'boolean', description: 'watch backends for changes (watch mode)', fileKeys: ['watch'] },
  { field: 'wait', flag: 'wait', kind: 'wait', valueName: 'min:max', description: 'watch mode debounce, e.g. 2s:10s', fileKeys: ['wait'] },
  { field: 'minKeys', flag: 'min-keys', kind: 'count', valueName: 'n', description: 'default min_keys: a resource whose keys return fewer entries fails and its dest is kept (0 = off)', fileKeys: ['min_keys'] },
  { field: 'pluginDirs', flag: 'plugin-dir', kind: 'list', valueName: 'dir', description: 'directory searched first for confd-database-<name> plugins (repeatable)', fileKeys: ['plugin_dir', 'plugin_dirs'] },
  { field: 'keepLastGood', flag: 'keep-last-good', kind: 'boolean', description: 'watch mode: when a backend fails, keep rendering its resources from its last good values', fileKeys: ['keep_last_good'] },
  { field: 'shutdownTimeoutMs', flag: 'shutdown-timeout', kind: 'duration', valueName: 'duration', description: 'on SIGTERM, how long a running check_cmd/reload_cmd may go on before it is killed (default 15s)', fileKeys: ['shutdown_timeout'] },
  { field: 'pluginStartTimeoutMs', flag: 'plugin-start-timeout', kind: 'duration', valueName: 'duration', description: 'how long a plugin may take to start (default 60s)', fileKeys: ['plugin_start_timeout'] },
];

/** confd keys we accept in the file but do not use (their backends are not built in). */
export const IGNORED_FILE_KEYS: readonly string[] = [
  'onetime', 'scheme', 'srv_domain', 'srv_record', 'auth_type', 'app_id', 'user_id',
  'role_id', 'secret_id', 'path', 'table', 'client_insecure', 'configdir', 'templatedir', 'printversion', 'configfile',
];

export function envNameFor(spec: OptionSpec): string {
  return `CONFD_${spec.flag.toUpperCase().replaceAll('-', '_')}`;
}

/** Normalises a file key for matching: case-insensitive, `-` and `_` alike. */
export function normaliseFileKey(key: string): string {
  return key.toLowerCase().replaceAll('-', '_');
}
