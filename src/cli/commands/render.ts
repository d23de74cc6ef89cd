/**
 * `confd render`: one pass over every resource. Exit 0 when all succeed, 1 when any
 * fails (the others are still rendered). A malformed resource file fails the run
 * before anything is written.
 */
import type { Command } from 'commander';
import type { Settings } from '../../config/settings.js';
import { formatError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import { loadResources } from '../../resource/load.js';
import { passOptions, renderPass } from '../../resource/pass.js';
import { TemplateEngine } from '../../template/index.js';
import type { CliContext } from '../context.js';
import { backendSpec, openDatabase, type OpenedDatabase } from '../../backends/index.js';

/** How long a signal waits for an interrupted plugin start to clean up (it is killed at once). */
const STARTUP_ABORT_WAIT_MS = 2000;

export function register(program: Command, ctx: CliContext): void {
  const command = program.command('render').description('render every template resource once, then exit (0 on success, 1 on any failure)');
  ctx.addSettingsOptions(command).action(async () => {
    const { settings, logger } = await ctx.loadSettings(command);
    const code = await runRender(settings, logger);
    process.exitCode = code;
    // A backend client abandoned after a deadline (a server that accepts but never answers)
    // may still hold a socket; it must not keep a finished render alive.
    setTimeout(() => process.exit(code), 500).unref();
  });
}

export async function runRender(settings: Settings, logger: Logger): Promise<number> {
  const loaded = await loadResources(settings);
  for (const warning of loaded.warnings) logger.warn(warning);
  const broken = loaded.files.filter((f) => f.error);
  if (broken.length > 0) {
    for (const file of broken) logger.error(formatError(file.error));
    logger.error(`${broken.length} template resource file(s) are invalid; nothing was written`);
    return 1;
  }
  const resources = loaded.files.flatMap((f) => (f.resource ? [f.resource] : []));
  if (resources.length === 0) return 0;

  const engine = new TemplateEngine();
  let opened: OpenedDatabase | undefined;
  let opening: Promise<OpenedDatabase> | undefined;
  // Aborted by a signal: kills a plugin that is still starting, which nothing else could stop.
  const startup = new AbortController();
  const stop = async (signal: NodeJS.Signals) => {
    logger.info(`caught ${signal}; stopping`);
    startup.abort();
    await Promise.race([opening?.catch(() => {}), new Promise((r) => setTimeout(r, STARTUP_ABORT_WAIT_MS).unref())]);
    await opened?.database.close().catch(() => {});
    process.exit(1);
  };
  const onSignal = (signal: NodeJS.Signals) => void stop(signal);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    opening = openDatabase(backendSpec(settings), logger, startup.signal);
    opened = await opening;
    logger.debug(`backend set to ${opened.name}`);
    const outcomes = await renderPass(resources, opened.database, passOptions(settings, { logger, engine, backend: opened.name, color: process.stdout.isTTY === true }));
    const failed = outcomes.filter((o) => !o.ok);
    for (const outcome of failed) logger.error(formatError(outcome.error));
    return failed.length > 0 ? 1 : 0;
  } catch (error) {
    logger.error(formatError(error));
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await opened?.database.close().catch((error: unknown) => logger.warn(`closing backend: ${formatError(error)}`));
  }
}
