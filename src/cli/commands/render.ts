/**
 * `confd render`: one pass over every resource. Exit 0 when all succeed, 1 when any
 * fails (the others are still rendered). A malformed resource file fails the run
 * before anything is written. `--stdout` prints each rendered file instead of syncing
 * it; `--check-config` and `--preflight` check and exit (check.ts).
 */
import type { Command } from 'commander';
import { reportError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { LoadedResources } from '../../resource/load.js';
import { shouldColor } from '../color.js';
import type { CliContext } from '../context.js';
import { RENDER_EXAMPLES } from '../help-text.js';
import { backendSpec, backendSpecs, builtinBackend, openBackends, type BackendSpec, type OpenedBackends, type OpenedDatabase } from '../../backends/index.js';
import { DEFAULT_BACKEND, type Settings } from '../../config/settings.js';
import { addCheckOptions, runRequestedChecks } from './check.js';

export function register(program: Command, ctx: CliContext): void {
  const command = program.command('render').description('render every template resource once, then exit (0 on success, 1 on any failure)');
  command.addHelpText('after', RENDER_EXAMPLES);
  command.option('--stdout', 'print each rendered file to stdout under a header naming its dest and resource; write nothing and run no command');
  addCheckOptions(ctx.addSettingsOptions(command)).action(async () => {
    const { settings, logger } = await ctx.loadSettings(command);
    const code = (await runRequestedChecks(command, settings, logger)) ?? (await runRender(settings, logger, { stdout: command.opts<{ stdout?: boolean }>().stdout }));
    process.exitCode = code;
    // A backend client abandoned after a deadline (a server that accepts but never answers)
    // may still hold a socket; it must not keep a finished render alive.
    setTimeout(() => process.exit(code), 500).unref();
  });
}

export interface RenderOptions {
  /** Print each rendered file to stdout instead of syncing it. */
  stdout?: boolean;
}

export async function runRender(settings: Settings, logger: Logger, options: RenderOptions = {}): Promise<number> {
  let opened: Map<string, OpenedDatabase> = new Map();
  const closeAll = () =>
    Promise.all([...opened.values()].map((o) => o.database.close().catch((error: unknown) => reportError(logger, error, { level: 'warn', prefix: `closing backend ${o.name}: ` }))));
  // SIGTERM/SIGINT: running check/reload commands are killed (with their process group)
  // and stage files removed as the pass unwinds; plugins are stopped; then exit 1.
  const shutdown = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (shutdown.signal.aborted) return;
    logger.info(`caught ${signal}; stopping`);
    shutdown.abort();
    void closeAll();
    setTimeout(() => process.exit(1), settings.shutdownTimeoutMs).unref();
  };
  const listen = () => {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  };
  const unlisten = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };

  // A plugin takes a while to start (a process, its handshake, Configure): the default
  // backend's starts while the resource files load, and the pass waits for both. While it
  // starts, a signal must stop it; without it, loading keeps the default signal handling.
  const early = startDefaultPlugin(settings, logger, shutdown.signal);
  if (early) listen();
  try {
    let loaded: LoadedResources;
    let modules: [typeof import('../../resource/pass.js'), typeof import('../../template/index.js')];
    try {
      // Loaded here, not at start-up, so that `confd --version` and `confd check` do not pay for them.
      const [{ loadResources }, ...rest] = await Promise.all([import('../../resource/load.js'), import('../../resource/pass.js'), import('../../template/index.js')]);
      modules = rest;
      loaded = await loadResources(settings);
    } catch (error) {
      await early?.discard();
      throw error;
    }
    const [{ passOptions, renderPass }, { TemplateEngine }] = modules;
    for (const warning of loaded.warnings) logger.warn(warning);
    const broken = loaded.files.filter((f) => f.error);
    const resources = loaded.files.flatMap((f) => (f.resource ? [f.resource] : []));
    const used = new Set(resources.flatMap((r) => r.backends));
    // Not needed after all (nothing to render, no resource reads the default backend, or
    // SIGTERM while loading): stop it.
    const useEarly = early !== undefined && broken.length === 0 && used.has(DEFAULT_BACKEND) && !shutdown.signal.aborted;
    if (early && !useEarly) await early.discard();
    if (shutdown.signal.aborted) return 1;
    if (broken.length > 0) {
      for (const file of broken) reportError(logger, file.error);
      logger.error(`${broken.length} template resource file(s) are invalid; nothing was written`);
      return 1;
    }
    if (resources.length === 0) return 0;

    const engine = new TemplateEngine();
    if (!early) listen();
    try {
      const specs = [...backendSpecs(settings, used).values()].filter((spec) => !(useEarly && spec.name === DEFAULT_BACKEND));
      const [open, first] = await Promise.all([openBackends(specs, logger, shutdown.signal), useEarly ? early.opened : undefined]);
      opened = new Map([...(first?.opened ?? []), ...open.opened]);
      if (first) for (const [name, error] of first.failures) open.failures.set(name, error);
      if (shutdown.signal.aborted) return 1;
      for (const o of opened.values()) logger.debug(`backend set to ${o.name}`);
      const color = shouldColor(settings.color, process.stdout, process.env);
      const print = options.stdout ? process.stdout : undefined;
      const result = await renderPass(resources, opened, passOptions(settings, { logger, engine, color, signal: shutdown.signal, print }));
      if (shutdown.signal.aborted) return 1;
      // A backend that failed is reported once, not once per resource that reads it.
      const failures = new Map([...result.failures, ...open.failures]);
      for (const error of failures.values()) reportError(logger, error);
      const failed = result.outcomes.filter((o) => !o.ok);
      for (const outcome of failed) if (!outcome.backendFailed) reportError(logger, outcome.error, { fields: { dest: outcome.resource.dest } });
      const skipped = failed.filter((o) => o.backendFailed).length;
      if (skipped > 0) logger.error(`${skipped} resource(s) not rendered because their backend failed; their files were left as they are`);
      return failed.length > 0 || failures.size > 0 ? 1 : 0;
    } catch (error) {
      reportError(logger, error);
      return 1;
    } finally {
      // Before closing: a signal while the backends close gets the default handling.
      unlisten();
      await closeAll();
    }
  } finally {
    unlisten();
  }
}

interface EarlyBackend {
  /** The default backend, opened (or why not), as openBackends reports it. */
  opened: Promise<OpenedBackends>;
  /** Stops it (a plugin still starting is killed) and waits until it has gone. */
  discard(): Promise<void>;
}

/** Starts opening the default backend when it is a plugin (launched or reattached); built-ins open after loading, as before. */
function startDefaultPlugin(settings: Settings, logger: Logger, signal: AbortSignal): EarlyBackend | undefined {
  let spec: BackendSpec;
  try {
    spec = backendSpec(settings, DEFAULT_BACKEND);
  } catch {
    return undefined; // reported when the backends open, as before
  }
  if (builtinBackend(spec.backend, spec.plugins)) return undefined;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const opened = openBackends([spec], logger, stop.signal).finally(() => signal.removeEventListener('abort', onAbort));
  let discarded: Promise<void> | undefined;
  return {
    opened,
    discard: () =>
      (discarded ??= (async () => {
        stop.abort();
        const result = await opened;
        await Promise.all(
          [...result.opened.values()].map((o) => o.database.close().catch((error: unknown) => reportError(logger, error, { level: 'warn', prefix: `closing backend ${o.name}: ` }))),
        );
      })()),
  };
}
