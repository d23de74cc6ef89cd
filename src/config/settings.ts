/**
 * The validated, merged settings (flags > CONFD_* env > confd.toml/yaml > defaults).
 * Everything downstream reads this; nothing downstream reads argv or env itself.
 */
import type { LogFormat, LogLevel } from '../log/logger.js';
import type { PluginSettings } from './plugin-settings.js';
import type { TemplateEngineName } from './template-engine.js';

export interface WaitSpec {
  /** Quiet period: every change snoozes the render by this much. */
  minMs: number;
  /** Upper bound on the total delay since the first change. */
  maxMs: number;
}

export interface Settings {
  confdir: string;
  configFile: string;
  /** A built-in name, an external plugin name, or a path to a plugin executable. */
  backend: string;
  nodes: string[];
  prefix: string;

  noop: boolean;
  diff: boolean;
  /** With `--noop --diff`: mask values in the printed diff. */
  diffRedact: boolean;
  syncOnly: boolean;
  keepStageFile: boolean;

  logLevel: LogLevel;
  logFormat: LogFormat;

  files: string[];
  filter: string;
  separator: string;

  username: string;
  password: string;
  clientCert: string;
  clientKey: string;
  clientCaKeys: string;
  basicAuth: boolean;
  /** http: bearer token. */
  authToken: string;

  /** exec: a string (split into words, or run by /bin/sh with `shell`) or an argv array. */
  command: string | string[];
  shell: boolean;
  /** exec and http: json, yaml, toml, env, or empty for auto. */
  format: string;
  /** exec: `poll` or `stream`; empty means poll. */
  watchMode: string;

  /** Seconds between polls / full resyncs in `watch`. */
  interval: number;
  watch: boolean;
  /** Global debounce for `watch`, from `wait = "min:max"`. */
  wait?: WaitSpec;

  /** Extra directories searched for `confd-database-<name>` executables, in order. */
  pluginDirs: string[];
  /** How long a plugin may take to print its handshake. */
  pluginStartTimeoutMs: number;
  /** Default `min_keys` for resources that do not set it (0 = no guard). */
  minKeys: number;
  /** Plugin-specific options from the `[backend_config]` table, passed to Configure verbatim. */
  backendConfig: Record<string, string>;

  /** `[backends.<name>]` tables: further backends a resource can name (`default` is the top level). */
  namedBackends: Record<string, NamedBackendSettings>;
  /** Watch mode: a failing backend's resources render from its last good values. */
  keepLastGood: boolean;
  /** On SIGTERM, how long a running check_cmd/reload_cmd may go on before it is killed. */
  shutdownTimeoutMs: number;

  // confd's settings for backends we do not build in: passed to a plugin's Configure
  // (authToken, above, is one of them too).
  authType: string;
  appId: string;
  userId: string;
  roleId: string;
  secretId: string;
  /** vault: mount path of the auth method (confd's `-path`). */
  authPath: string;
  table: string;
  clientInsecure: boolean;

  /** Scheme of etcd nodes found by SRV (and consul's scheme, for plugins). */
  scheme: string;
  /** SRV discovery: `_<backend>._tcp.<srvDomain>.`, unless srvRecord names the record. */
  srvDomain: string;
  srvRecord: string;
  /** `host[:port]` of the DNS server for SRV discovery; empty: the system resolver. */
  dnsServer: string;

  /** Colouring of `--diff`: decided from the terminal and NO_COLOR/FORCE_COLOR when `auto`. */
  color: ColorMode;

  /** Deadline for every backend call (Configure, GetValues) and for a plugin's health check. */
  backendTimeoutMs: number;
  /** How often `confd watch` checks that a plugin still answers (0: never). */
  pluginHealthIntervalMs: number;
  /** Refuse a plugin that does not answer AutoMTLS with its certificate. */
  pluginRequireMtls: boolean;
  /** The largest gRPC message confd accepts from, or sends to, a plugin. */
  pluginMaxMessageBytes: number;
  /** Raw `--plugin-sha256 name=hex` values; loading merges them into `plugins`. */
  pluginSha256: string[];
  /** `[plugins.<name>]` tables (with the --plugin-sha256 pins merged in), by plugin name. */
  plugins: Record<string, PluginSettings>;
  /** The template language of resources that do not name one (`engine` in `[template]`). */
  templateEngine: TemplateEngineName;

  // Operations (docs/operations.md).
  /** `host:port` of the /metrics, /health and /ready listener of `confd watch`; empty: none. */
  metricsAddr: string;
  /** Exec mode: the supervised child (words, or an argv array); empty: none. */
  exec: string | string[];
  /** Sent to the child when a dest changes; empty: restart it instead. */
  execReloadSignal: NodeJS.Signals | '';
  /** Stops the child (for a restart). */
  execKillSignal: NodeJS.Signals;
  /** How long the child may take to exit after its kill signal before SIGKILL. */
  execKillTimeoutMs: number;
}

export type ColorMode = 'auto' | 'always' | 'never';

/** One `[backends.<name>]` table: its backend settings, and where it was written. */
export interface NamedBackendSettings {
  values: Partial<Settings>;
  file?: string;
  line?: number;
}

/** The name of the top-level backend. */
export const DEFAULT_BACKEND = 'default';

export const DEFAULT_CONFDIR = '/etc/confd';

export function defaultSettings(): Settings {
  return {
    confdir: DEFAULT_CONFDIR,
    configFile: `${DEFAULT_CONFDIR}/confd.toml`,
    backend: 'etcd',
    nodes: [],
    prefix: '',
    noop: false,
    diff: false,
    diffRedact: false,
    syncOnly: false,
    keepStageFile: false,
    logLevel: 'info',
    logFormat: 'text',
    files: [],
    filter: '*',
    separator: '',
    username: '',
    password: '',
    clientCert: '',
    clientKey: '',
    clientCaKeys: '',
    basicAuth: false,
    authToken: '',
    command: '',
    shell: false,
    format: '',
    watchMode: '',
    interval: 600,
    watch: false,
    pluginDirs: [],
    pluginStartTimeoutMs: 60_000,
    minKeys: 0,
    backendConfig: {},
    namedBackends: {},
    keepLastGood: false,
    shutdownTimeoutMs: 15_000,
    authType: '',
    appId: '',
    userId: '',
    roleId: '',
    secretId: '',
    authPath: '',
    table: '',
    clientInsecure: false,
    scheme: 'http',
    srvDomain: '',
    srvRecord: '',
    dnsServer: '',
    color: 'auto',
    backendTimeoutMs: 30_000,
    pluginHealthIntervalMs: 30_000,
    pluginRequireMtls: false,
    pluginMaxMessageBytes: 256 * 1024 * 1024,
    pluginSha256: [],
    plugins: {},
    templateEngine: 'handlebars',
    metricsAddr: '',
    exec: '',
    execReloadSignal: '',
    execKillSignal: 'SIGTERM',
    execKillTimeoutMs: 30_000,
  };
}
