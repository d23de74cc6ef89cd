/**
 * The single table of settings. It drives the command-line flags, the `CONFD_*`
 * environment variables and the confd.toml/confd.yaml keys, so the three can never
 * drift apart. Names follow confd's.
 */
import type { Settings } from './settings.js';
import { TEMPLATE_ENGINE_NAMES } from './template-engine.js';

export type OptionKind = 'string' | 'boolean' | 'list' | 'integer' | 'count' | 'duration' | 'wait' | 'level' | 'choice' | 'command' | 'size' | 'signal';

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
  /** For kind `choice`: the accepted values. */
  choices?: readonly string[];
  /**
   * `backend`: a setting of one backend, allowed in `[backends.<name>]` tables too
   * (each named backend has its own). Others are global.
   */
  scope?: 'backend';
}

export const OPTIONS: readonly OptionSpec[] = [
  { field: 'confdir', flag: 'confdir', kind: 'string', valueName: 'dir', description: 'confd conf directory (holds conf.d/ and templates/)', fileKeys: ['confdir'] },
  { field: 'configFile', flag: 'config-file', kind: 'string', valueName: 'path', description: 'the confd config file', fileKeys: [], notInFile: true },
  { field: 'backend', flag: 'backend', kind: 'string', valueName: 'name', description: 'backend: env, file, etcd (= etcdv3), redis, zookeeper, a confd-database-<name> plugin, or a plugin path', fileKeys: ['backend'], scope: 'backend' },
  { field: 'nodes', flag: 'node', kind: 'list', valueName: 'address', description: 'backend node address (repeatable)', fileKeys: ['nodes', 'node'], scope: 'backend' },
  { field: 'prefix', flag: 'prefix', kind: 'string', valueName: 'prefix', description: 'key prefix, joined in front of every resource prefix', fileKeys: ['prefix'], scope: 'backend' },
  { field: 'noop', flag: 'noop', kind: 'boolean', description: 'render and compare only; never write or run commands', fileKeys: ['noop'] },
  { field: 'diff', flag: 'diff', kind: 'boolean', description: 'with --noop, print a unified diff of what would change', fileKeys: ['diff'] },
  { field: 'diffRedact', flag: 'diff-redact', kind: 'boolean', description: 'with --noop --diff, mask values in the diff (a plain diff prints file content, secrets included)', fileKeys: ['diff_redact'] },
  { field: 'syncOnly', flag: 'sync-only', kind: 'boolean', description: 'write files but run no check_cmd or reload_cmd', fileKeys: ['sync-only', 'syncOnly'] },
  { field: 'keepStageFile', flag: 'keep-stage-file', kind: 'boolean', description: 'keep the staged file next to dest', fileKeys: ['keep-stage-file', 'keepStageFile'] },
  { field: 'logLevel', flag: 'log-level', kind: 'level', valueName: 'level', description: 'trace, debug, info, warn or error', fileKeys: ['log-level'] },
  { field: 'logFormat', flag: 'log-format', kind: 'choice', choices: ['text', 'json'], valueName: 'format', description: 'text or json', fileKeys: ['log-format'] },
  { field: 'files', flag: 'file', kind: 'list', valueName: 'path', description: 'file backend: a YAML/JSON/TOML file or directory (repeatable)', fileKeys: ['file', 'files'], scope: 'backend' },
  { field: 'filter', flag: 'filter', kind: 'string', valueName: 'glob', description: 'file backend: glob on base names when walking directories', fileKeys: ['filter'], scope: 'backend' },
  { field: 'separator', flag: 'separator', kind: 'string', valueName: 'sep', description: 'redis: the separator that replaces / in keys', fileKeys: ['separator'], scope: 'backend' },
  { field: 'username', flag: 'username', kind: 'string', valueName: 'user', description: 'backend username (basic auth)', fileKeys: ['username'], scope: 'backend' },
  { field: 'password', flag: 'password', kind: 'string', valueName: 'password', description: 'backend password', fileKeys: ['password'], scope: 'backend' },
  { field: 'clientCert', flag: 'client-cert', kind: 'string', valueName: 'path', description: 'TLS client certificate', fileKeys: ['client_cert'], scope: 'backend' },
  { field: 'clientKey', flag: 'client-key', kind: 'string', valueName: 'path', description: 'TLS client key', fileKeys: ['client_key'], scope: 'backend' },
  { field: 'clientCaKeys', flag: 'client-ca-keys', kind: 'string', valueName: 'path', description: 'TLS CA certificate', fileKeys: ['client_cakeys', 'client_ca_keys'], legacyEnv: ['CONFD_CLIENT_CAKEYS'], scope: 'backend' },
  { field: 'basicAuth', flag: 'basic-auth', kind: 'boolean', description: 'use basic auth with --username/--password', fileKeys: ['basic_auth'], scope: 'backend' },
  { field: 'command', flag: 'command', kind: 'command', valueName: 'cmd', description: 'exec backend: the command that prints the data (split into words, no shell; an array in the config file is argv)', fileKeys: ['command'], scope: 'backend' },
  { field: 'shell', flag: 'shell', kind: 'boolean', description: 'exec backend: run --command with /bin/sh -c', fileKeys: ['shell'], scope: 'backend' },
  { field: 'format', flag: 'format', kind: 'string', valueName: 'format', description: 'exec and http backends: json, yaml, toml, env or auto (default: by the output or content type)', fileKeys: ['format'], scope: 'backend' },
  { field: 'watchMode', flag: 'watch-mode', kind: 'string', valueName: 'mode', description: 'exec backend: poll (run --command every --interval, default) or stream (one long-running command)', fileKeys: ['watch_mode'], scope: 'backend' },
  { field: 'interval', flag: 'interval', kind: 'integer', valueName: 'seconds', description: 'seconds between polls and full resyncs in watch mode (0: none)', fileKeys: ['interval'] },
  { field: 'watch', flag: 'watch', kind: 'boolean', description: 'watch backends for changes (watch mode)', fileKeys: ['watch'] },
  { field: 'wait', flag: 'wait', kind: 'wait', valueName: 'min:max', description: 'watch mode debounce, e.g. 2s:10s', fileKeys: ['wait'] },
  { field: 'minKeys', flag: 'min-keys', kind: 'count', valueName: 'n', description: 'default min_keys: a resource whose keys return fewer entries fails and its dest is kept (0 = off)', fileKeys: ['min_keys'] },
  { field: 'pluginDirs', flag: 'plugin-dir', kind: 'list', valueName: 'dir', description: 'directory searched first for confd-database-<name> plugins (repeatable)', fileKeys: ['plugin_dir', 'plugin_dirs'] },
  { field: 'templateEngine', flag: 'template-engine', kind: 'choice', choices: TEMPLATE_ENGINE_NAMES, valueName: 'name', description: 'template language of resources that do not set engine: handlebars or go (confd\'s Go text/template)', fileKeys: ['template_engine'] },
  { field: 'keepLastGood', flag: 'keep-last-good', kind: 'boolean', description: 'watch mode: when a backend fails, keep rendering its resources from its last good values', fileKeys: ['keep_last_good'] },
  { field: 'shutdownTimeoutMs', flag: 'shutdown-timeout', kind: 'duration', valueName: 'duration', description: 'on SIGTERM, how long a running check_cmd/reload_cmd may go on before it is killed', fileKeys: ['shutdown_timeout'] },
  { field: 'pluginStartTimeoutMs', flag: 'plugin-start-timeout', kind: 'duration', valueName: 'duration', description: 'how long a plugin may take to start', fileKeys: ['plugin_start_timeout'] },
  { field: 'backendTimeoutMs', flag: 'backend-timeout', kind: 'duration', valueName: 'duration', description: 'deadline for every backend call (Configure, GetValues) and plugin health check', fileKeys: ['backend_timeout'], scope: 'backend' },
  { field: 'pluginHealthIntervalMs', flag: 'plugin-health-interval', kind: 'duration', valueName: 'duration', description: 'how often confd watch checks that a plugin still answers (0 = never)', fileKeys: ['plugin_health_interval'] },
  { field: 'pluginRequireMtls', flag: 'plugin-require-mtls', kind: 'boolean', description: 'refuse plugins that do not answer AutoMTLS with a certificate', fileKeys: ['plugin_require_mtls'] },
  { field: 'pluginMaxMessageBytes', flag: 'plugin-max-message-size', kind: 'size', valueName: 'size', description: 'largest gRPC message exchanged with a plugin', fileKeys: ['plugin_max_message_size'] },
  { field: 'pluginSha256', flag: 'plugin-sha256', kind: 'list', valueName: 'name=hex', description: 'pin a plugin executable to its SHA-256 (repeatable; see [plugins.<name>] sha256)', fileKeys: [] },

  // ── confd's flags for backends we do not build in: passed to a plugin's Configure ──
  { field: 'authToken', flag: 'auth-token', kind: 'string', valueName: 'token', description: 'bearer token: the http backend sends Authorization: Bearer <token>; passed to plugins (vault, consul)', fileKeys: ['auth_token'], scope: 'backend' },
  { field: 'authType', flag: 'auth-type', kind: 'string', valueName: 'type', description: 'vault: auth method (app-id, app-role, github, token, userpass, kubernetes, cert)', fileKeys: ['auth_type'], scope: 'backend' },
  { field: 'appId', flag: 'app-id', kind: 'string', valueName: 'id', description: 'vault: app-id (auth-type app-id)', fileKeys: ['app_id'], scope: 'backend' },
  { field: 'userId', flag: 'user-id', kind: 'string', valueName: 'id', description: 'vault: user-id (auth-type app-id)', fileKeys: ['user_id'], scope: 'backend' },
  { field: 'roleId', flag: 'role-id', kind: 'string', valueName: 'id', description: 'vault: role-id (auth-type app-role or kubernetes)', fileKeys: ['role_id'], scope: 'backend' },
  { field: 'secretId', flag: 'secret-id', kind: 'string', valueName: 'id', description: 'vault: secret-id (auth-type app-role)', fileKeys: ['secret_id'], scope: 'backend' },
  { field: 'authPath', flag: 'path', kind: 'string', valueName: 'path', description: 'vault: mount path of the auth method', fileKeys: ['path'], scope: 'backend' },
  { field: 'table', flag: 'table', kind: 'string', valueName: 'name', description: 'dynamodb: the table name', fileKeys: ['table'], scope: 'backend' },
  { field: 'clientInsecure', flag: 'client-insecure', kind: 'boolean', description: 'allow TLS connections without verifying certificates (passed to the backend)', fileKeys: ['client_insecure'], scope: 'backend' },
  // ── SRV discovery of backend nodes ──
  { field: 'scheme', flag: 'scheme', kind: 'choice', choices: ['http', 'https'], valueName: 'scheme', description: 'URI scheme for etcd nodes found by SRV (http or https); consul\'s scheme', fileKeys: ['scheme'], scope: 'backend' },
  { field: 'srvDomain', flag: 'srv-domain', kind: 'string', valueName: 'domain', description: 'find the backend nodes in the SRV record _<backend>._tcp.<domain>', fileKeys: ['srv_domain'], scope: 'backend' },
  { field: 'srvRecord', flag: 'srv-record', kind: 'string', valueName: 'record', description: 'find the backend nodes in this SRV record, e.g. _etcd-client._tcp.example.com', fileKeys: ['srv_record'], scope: 'backend' },
  { field: 'dnsServer', flag: 'dns-server', kind: 'string', valueName: 'host:port', description: 'DNS server for SRV discovery (default: the system resolver)', fileKeys: ['dns_server'] },
  // ── output ──
  { field: 'color', flag: 'color', kind: 'choice', choices: ['auto', 'always', 'never'], valueName: 'when', description: 'colour the --diff output: auto (a terminal, unless NO_COLOR; FORCE_COLOR forces), always or never', fileKeys: ['color'] },
  // ── operations: metrics and health, exec (supervise) mode (docs/operations.md) ──
  { field: 'metricsAddr', flag: 'metrics-addr', kind: 'string', valueName: 'host:port', description: 'confd watch: serve /metrics (Prometheus), /health and /ready on this address, e.g. 127.0.0.1:9100 (default: off)', fileKeys: ['metrics_addr'] },
  { field: 'exec', flag: 'exec', kind: 'command', valueName: 'cmd', description: 'confd watch: run this command (words, no shell; an array in the config file is argv) once every resource has rendered, signal or restart it when a dest changes, and exit with its code when it exits', fileKeys: ['exec'] },
  { field: 'execReloadSignal', flag: 'exec-reload-signal', kind: 'signal', valueName: 'signal', description: 'with --exec: the signal sent to the child when a dest changes (default: none, the child is restarted)', fileKeys: ['exec_reload_signal'] },
  { field: 'execKillSignal', flag: 'exec-kill-signal', kind: 'signal', valueName: 'signal', description: 'with --exec: the signal that stops the child (for a restart)', fileKeys: ['exec_kill_signal'] },
  { field: 'execKillTimeoutMs', flag: 'exec-kill-timeout', kind: 'duration', valueName: 'duration', description: 'with --exec: how long the child may take to exit after its kill signal before it is killed with SIGKILL', fileKeys: ['exec_kill_timeout'] },
];

/**
 * confd settings that mean nothing here: accepted (so an existing confd.toml or command
 * line works unchanged) and warned about with the reason.
 */
export interface IgnoredSetting {
  /** confd's flag, when it had one that is not handled elsewhere (-onetime is a subcommand). */
  flag?: string;
  /** confd.toml keys. */
  fileKeys: string[];
  reason: string;
}

export const IGNORED_SETTINGS: readonly IgnoredSetting[] = [
  { fileKeys: ['onetime'], reason: 'run `confd render` (or classic `confd -onetime`) for a single pass' },
  { flag: 'secret-keyring', fileKeys: ['secret_keyring'], reason: "confd's crypt template functions (cget, cgets, …) were removed after confd 0.16; nothing reads the keyring" },
  { fileKeys: ['configdir', 'templatedir'], reason: 'always <confdir>/conf.d and <confdir>/templates' },
  { fileKeys: ['printversion'], reason: 'run `confd version`' },
  { fileKeys: ['configfile'], reason: 'name the file with --config-file' },
  { fileKeys: ['role'], reason: 'confd decodes it but never uses it' },
];

export function envNameFor(spec: OptionSpec): string {
  return `CONFD_${spec.flag.toUpperCase().replaceAll('-', '_')}`;
}

/** Normalises a file key for matching: case-insensitive, `-` and `_` alike. */
export function normaliseFileKey(key: string): string {
  return key.toLowerCase().replaceAll('-', '_');
}
