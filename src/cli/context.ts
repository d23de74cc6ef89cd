/** What every subcommand module gets from the CLI core: shared flags and settings loading. */
import type { Command } from 'commander';
import type { Settings } from '../config/settings.js';
import { Logger, type LogFormat } from '../log/logger.js';
import { addSettingsOptions, ignoredFlagWarnings, readSettingsOptions, type SettingsFlagsOptions } from './settings-options.js';

export interface LoadedCliSettings {
  settings: Settings;
  logger: Logger;
}

export interface CliContext {
  /** Adds the shared settings flags (--confdir, --backend, --node, …) to a command. */
  addSettingsOptions(command: Command, options?: SettingsFlagsOptions): Command;
  /**
   * Merges flags > CONFD_* env > config file > defaults, validates, and makes the logger.
   * `commandDefaults` replaces defaults for this command (`watch` passes `{ watch: true }`).
   */
  loadSettings(command: Command, commandDefaults?: Partial<Settings>): Promise<LoadedCliSettings>;
  /**
   * The logger for errors before or outside a command's own logging: the one settings
   * made, else one in the format argv or CONFD_LOG_FORMAT asks for (settings may be what
   * failed), so that `--log-format json` turns setup errors into JSON lines too.
   */
  setupLogger(): Logger;
}

/**
 * @param env the environment; `CONFD_SYSTEM_CONFIG` replaces /etc/confd/confd.toml as the
 *   fallback config file (tests and packagers use it; empty: no fallback).
 */
export function createCliContext(args: readonly string[], env: NodeJS.ProcessEnv = process.env): CliContext {
  let loadedLogger: Logger | undefined;
  return {
    addSettingsOptions,
    setupLogger: () => loadedLogger ?? new Logger({ format: requestedLogFormat(args, env) }),
    async loadSettings(command, commandDefaults) {
      // Loaded here, not at start-up: `confd --version` needs no TOML or YAML parser.
      const { loadSettings: mergeSettings, SYSTEM_CONFIG_FILE } = await import('../config/load.js');
      const systemConfigFile = env.CONFD_SYSTEM_CONFIG === undefined ? SYSTEM_CONFIG_FILE : env.CONFD_SYSTEM_CONFIG || null;
      const loaded = await mergeSettings(readSettingsOptions(command), env, commandDefaults, { systemConfigFile });
      const { settings } = loaded;
      const logger = new Logger({ level: settings.logLevel, format: settings.logFormat });
      loadedLogger = logger;
      logger.debug(loaded.configFile ? `settings read from ${loaded.configFile}` : `no config file (looked for ${loaded.searched.join(', ')})`);
      for (const warning of [...ignoredFlagWarnings(command), ...loaded.warnings]) logger.warn(warning);
      return { settings, logger };
    },
  };
}

/** `--log-format json` (or `=json`) in argv, else CONFD_LOG_FORMAT; text otherwise. */
function requestedLogFormat(args: readonly string[], env: NodeJS.ProcessEnv): LogFormat {
  let format = env.CONFD_LOG_FORMAT ?? '';
  for (const [i, arg] of args.entries()) {
    if (arg === '--log-format') format = args[i + 1] ?? format;
    else if (arg.startsWith('--log-format=')) format = arg.slice('--log-format='.length);
  }
  return format === 'json' ? 'json' : 'text';
}
