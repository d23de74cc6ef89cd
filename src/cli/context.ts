/** What every subcommand module gets from the CLI core: shared flags and settings loading. */
import type { Command } from 'commander';
import type { Settings } from '../config/settings.js';
import { loadSettings as mergeSettings } from '../config/load.js';
import { Logger } from '../log/logger.js';
import { addSettingsOptions, readSettingsOptions } from './settings-options.js';

export interface LoadedCliSettings {
  settings: Settings;
  logger: Logger;
}

export interface CliContext {
  /** Adds the shared settings flags (--confdir, --backend, --node, …) to a command. */
  addSettingsOptions(command: Command): Command;
  /**
   * Merges flags > CONFD_* env > config file > defaults, validates, and makes the logger.
   * `commandDefaults` replaces defaults for this command (`watch` passes `{ watch: true }`).
   */
  loadSettings(command: Command, commandDefaults?: Partial<Settings>): Promise<LoadedCliSettings>;
}

export function createCliContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  return {
    addSettingsOptions,
    async loadSettings(command, commandDefaults) {
      const { settings, warnings } = await mergeSettings(readSettingsOptions(command), env, commandDefaults);
      const logger = new Logger({ level: settings.logLevel, format: settings.logFormat });
      for (const warning of warnings) logger.warn(warning);
      return { settings, logger };
    },
  };
}
