/**
 * `confd watch` (and classic `confd -watch` / `confd -interval N`, which the CLI core
 * translates to `watch --watch=true|false`): render everything, then keep files in
 * sync as the backend changes (src/daemon). Exits 0 on SIGTERM/SIGINT.
 */
import type { Command } from 'commander';
import type { Settings } from '../../config/settings.js';
import type { Logger } from '../../log/logger.js';
import type { CliContext } from '../context.js';
import { WATCH_EXAMPLES } from '../help-text.js';
import { openDatabase } from '../../backends/index.js';
import { addCheckOptions, runRequestedChecks } from './check.js';

export function register(program: Command, ctx: CliContext): void {
  const command = program
    .command('watch')
    .description('render every template resource, then keep them in sync: watch the backend (or poll it every --interval), debounce, reload on SIGHUP, stop on SIGTERM');
  const commandDefaults = { watch: true };
  command.addHelpText('after', WATCH_EXAMPLES);
  addCheckOptions(ctx.addSettingsOptions(command, { defaults: commandDefaults })).action(async () => {
    const { settings, logger } = await ctx.loadSettings(command, commandDefaults);
    const reloadSettings = async () => (await ctx.loadSettings(command, commandDefaults)).settings;
    const code = (await runRequestedChecks(command, settings, logger)) ?? (await runWatch(settings, logger, { reloadSettings }));
    process.exitCode = code;
    // Nothing should keep the process alive now; if something does (a stuck handle in a
    // backend client), do not let it break the "exit within 5 s" promise.
    setTimeout(() => process.exit(code), 500).unref();
  });
}

export interface RunWatchOptions {
  /** Re-reads flags > env > config file > defaults on SIGHUP. */
  reloadSettings?: () => Promise<Settings>;
}

/** Runs the daemon until SIGTERM/SIGINT (0) or a fatal start-up error (1). */
export async function runWatch(settings: Settings, logger: Logger, options: RunWatchOptions = {}): Promise<number> {
  // Loaded here, not at start-up: a one-shot render never pays for the daemon.
  const { WatchDaemon } = await import('../../daemon/index.js');
  return new WatchDaemon(settings, logger, { openDatabase, reloadSettings: options.reloadSettings }).run();
}
