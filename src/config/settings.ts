/**
 * The validated, merged settings (flags > CONFD_* env > confd.toml/yaml > defaults).
 * Everything downstream reads this; nothing downstream reads argv or env itself.
 */
import type { LogFormat, LogLevel } from '../log/logger.js';
import type { TemplateEngineName } from '../template/language.js';

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

  /** Seconds between polls / full resyncs in `watch`. */
  interval: number;
  watch: boolean;
  /** Global debounce for `watch`, from `wait = "min:max"`. */
  wait?: WaitSpec;

  /** Extra directories searched for `confd-database-<name>` executables, in order. */
  pluginDirs: string[];
  /** How long a plugin may take to print its handshake. */
  pluginStartTimeoutMs: number;
  /** Plugin-specific options from the `[backend_config]` table, passed to Configure verbatim. */
  backendConfig: Record<string, string>;

  /** The template language of resources that do not name one (`engine` in `[template]`). */
  templateEngine: TemplateEngineName;
}

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
    interval: 600,
    watch: false,
    pluginDirs: [],
    pluginStartTimeoutMs: 60_000,
    backendConfig: {},
    templateEngine: 'handlebars',
  };
}
