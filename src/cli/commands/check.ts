/**
 * Checks without side effects: `confd check` (and `--check-config` on render and watch)
 * checks conf.d, the templates and the backend names offline; `--preflight` opens the
 * backends, fetches the keys once and reports. Both exit 0 when all is well, else 1.
 */
import type { Command } from 'commander';
import type { Settings } from '../../config/settings.js';
import { reportError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { CliContext } from '../context.js';
import { CHECK_EXAMPLES } from '../help-text.js';

export function register(program: Command, ctx: CliContext): void {
  const command = program
    .command('check')
    .description('check every resource file, template and backend name offline (no backend is contacted): exit 0, or 1 listing every problem with file:line');
  command.addHelpText('after', CHECK_EXAMPLES);
  ctx.addSettingsOptions(command).action(async () => {
    const { settings, logger } = await ctx.loadSettings(command);
    process.exitCode = await runCheckConfig(settings, logger);
  });
}

/** `--check-config` and `--preflight`, for render and watch. */
export function addCheckOptions(command: Command): Command {
  return command
    .option('--check-config', 'check resources, templates and backend names offline, as `confd check` does, then exit')
    .option('--preflight', 'open every backend the resources read (start plugins), fetch their keys once, report each backend, then exit');
}

/** Runs the checks the flags ask for: their exit code, or undefined when none was asked for. */
export async function runRequestedChecks(command: Command, settings: Settings, logger: Logger): Promise<number | undefined> {
  const { checkConfig: offline, preflight: online } = command.opts<{ checkConfig?: boolean; preflight?: boolean }>();
  if (!offline && !online) return undefined;
  if (offline && (await runCheckConfig(settings, logger)) !== 0) return 1;
  return online ? runPreflight(settings, logger) : 0;
}

export async function runCheckConfig(settings: Settings, logger: Logger): Promise<number> {
  const { checkConfig } = await import('../../checks/index.js');
  const result = await checkConfig(settings);
  for (const warning of result.warnings) logger.warn(warning);
  for (const problem of result.problems) reportError(logger, problem);
  const what = `${result.resources} resource(s), ${result.templates} template(s), ${result.backends} backend(s)`;
  if (result.problems.length > 0) {
    logger.error(`check failed: ${result.problems.length} problem(s) in ${settings.confdir} (${what})`);
    return 1;
  }
  logger.info(`check passed: ${what} in ${settings.confdir}`);
  return 0;
}

export async function runPreflight(settings: Settings, logger: Logger): Promise<number> {
  const [{ preflight }, { loadResources }] = await Promise.all([import('../../checks/index.js'), import('../../resource/load.js')]);
  const loaded = await loadResources(settings);
  for (const warning of loaded.warnings) logger.warn(warning);
  const broken = loaded.files.filter((f) => f.error);
  for (const file of broken) reportError(logger, file.error);
  const resources = loaded.files.flatMap((f) => (f.resource ? [f.resource] : []));
  const reports = await preflight(resources, settings, logger);
  for (const report of reports) {
    const fields = { backend: report.label, prefixes: report.prefixes, keys: report.keys, openMs: report.openMs, fetchMs: report.fetchMs };
    if (report.error) reportError(logger, report.error, { suffix: ' (preflight)', fields });
    else logger.withContext(fields).info(`preflight: backend ${report.label}: ${report.keys} key(s) under ${report.prefixes} prefix(es); opened in ${report.openMs}ms, fetched in ${report.fetchMs}ms`);
  }
  const failed = reports.filter((r) => r.error).length;
  if (failed > 0 || broken.length > 0) {
    logger.error(`preflight failed: ${failed} of ${reports.length} backend(s) failed, ${broken.length} resource file(s) invalid`);
    return 1;
  }
  logger.info(`preflight passed: ${reports.length} backend(s) for ${resources.length} resource(s)`);
  return 0;
}
