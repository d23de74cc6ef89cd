/**
 * Merges settings: flags > CONFD_* env > config file > defaults. (confd lets the
 * file beat the flags; we deliberately do not — docs/differences.md.) Every value is
 * validated before any work starts, with errors naming the setting and the file.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfdError } from '../errors.js';
import { coerceValue } from './coerce.js';
import { parseListenAddress } from './listen-address.js';
import { readConfigFile } from './config-file.js';
import { envNameFor, OPTIONS, type OptionSpec } from './options.js';
import { applyPinFlags, checkPluginSettings } from './plugin-settings.js';
import { defaultSettings, type Settings } from './settings.js';

/** Raw flag values keyed by Settings field; undefined means "not given". */
export type CliValues = Partial<Record<keyof Settings, unknown>>;

export interface LoadedSettings {
  settings: Settings;
  /** The config file actually read, if any. */
  configFile?: string;
  /** Where a config file was looked for, in order (for the debug log when none was found). */
  searched: string[];
  warnings: string[];
}

/** Read when `<confdir>` holds no config file, whatever `--confdir` says, as confd does. */
export const SYSTEM_CONFIG_FILE = '/etc/confd/confd.toml';

export interface LoadOptions {
  /**
   * The fallback config file (default /etc/confd/confd.toml); null: none. Tests point it
   * elsewhere so that they never depend on the machine's /etc/confd.
   */
  systemConfigFile?: string | null;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function fromEnv(spec: OptionSpec, env: NodeJS.ProcessEnv): { raw: string; name: string } | undefined {
  for (const name of [envNameFor(spec), ...(spec.legacyEnv ?? [])]) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') return { raw, name };
  }
  return undefined;
}

function layer(cli: CliValues, env: NodeJS.ProcessEnv): Partial<Settings> {
  const out: Record<string, unknown> = {};
  for (const spec of OPTIONS) {
    const fromVar = fromEnv(spec, env);
    if (fromVar) out[spec.field] = coerceValue(spec, fromVar.raw, { setting: fromVar.name });
    const raw = cli[spec.field];
    if (raw !== undefined && !(Array.isArray(raw) && raw.length === 0)) {
      out[spec.field] = coerceValue(spec, raw, { setting: `--${spec.flag}` });
    }
  }
  return out as Partial<Settings>;
}

/**
 * Finds the config file: the one named, else <confdir>/confd.toml, .yaml or .yml, else
 * the system file (/etc/confd/confd.toml).
 */
async function locateConfigFile(named: string | undefined, confdir: string, systemFile: string | null): Promise<{ file?: string; searched: string[] }> {
  if (named) {
    if (!(await exists(named))) throw new ConfdError(`config file not found: ${named}`, { file: named, setting: 'config-file' });
    return { file: named, searched: [named] };
  }
  const candidates = ['confd.toml', 'confd.yaml', 'confd.yml'].map((name) => join(confdir, name));
  if (systemFile && !candidates.includes(systemFile)) candidates.push(systemFile);
  for (const candidate of candidates) {
    if (await exists(candidate)) return { file: candidate, searched: candidates };
  }
  return { searched: candidates };
}

/**
 * @param commandDefaults defaults that differ per command (e.g. `confd watch` defaults
 *   `watch` to true); they still lose to the file, env and flags.
 */
export async function loadSettings(
  cli: CliValues,
  env: NodeJS.ProcessEnv = process.env,
  commandDefaults: Partial<Settings> = {},
  options: LoadOptions = {},
): Promise<LoadedSettings> {
  const overrides = layer(cli, env);
  const defaults = { ...defaultSettings(), ...commandDefaults };
  const confdir = overrides.confdir ?? defaults.confdir;
  const systemFile = options.systemConfigFile === undefined ? SYSTEM_CONFIG_FILE : options.systemConfigFile;
  const { file: configFile, searched } = await locateConfigFile(overrides.configFile, confdir, systemFile);
  const warnings: string[] = [];
  let fileValues: Partial<Settings> = {};
  if (configFile) {
    const read = await readConfigFile(configFile);
    fileValues = read.values;
    warnings.push(...read.warnings);
  }
  const settings: Settings = { ...defaults, ...fileValues, ...overrides };
  settings.configFile = configFile ?? join(confdir, 'confd.toml');
  // confdir may come from the file only when neither flag nor env gave it.
  if (overrides.confdir === undefined && fileValues.confdir !== undefined) settings.confdir = fileValues.confdir;
  settings.plugins = applyPinFlags(settings.plugins, settings.pluginSha256);
  validate(settings, configFile);
  return { settings, configFile, searched, warnings };
}

function validate(settings: Settings, file: string | undefined): void {
  const where = (setting: string) => ({ setting, file });
  if (settings.backend.trim() === '') throw new ConfdError('backend: must not be empty', where('backend'));
  if (Boolean(settings.clientCert) !== Boolean(settings.clientKey)) {
    throw new ConfdError('client-cert and client-key must be given together', where(settings.clientCert ? 'client-key' : 'client-cert'));
  }
  if (settings.backendTimeoutMs <= 0) throw new ConfdError('backend_timeout: must be greater than 0 (every backend call has a deadline)', where('backend_timeout'));
  checkPluginSettings(settings.plugins, settings.pluginRequireMtls, file);
  if (settings.diff && !settings.noop) {
    // --diff alone is harmless but does nothing; say so rather than ignore it silently.
    throw new ConfdError('--diff only works together with --noop', where('diff'));
  }
  if (settings.metricsAddr !== '' && !parseListenAddress(settings.metricsAddr)) {
    throw new ConfdError(`metrics_addr: expected host:port such as 127.0.0.1:9100, got ${JSON.stringify(settings.metricsAddr)}`, where('metrics_addr'));
  }
  // The 'signal' kind admits '' (none), which only the reload signal may be.
  if ((settings.execKillSignal as string) === '') throw new ConfdError('exec_kill_signal: must name a signal, such as SIGTERM', where('exec_kill_signal'));
  if (settings.diffRedact && !settings.diff) {
    throw new ConfdError('--diff-redact only works together with --noop --diff', where('diff-redact'));
  }
}
