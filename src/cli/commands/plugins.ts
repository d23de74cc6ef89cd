/** `confd plugins list` and `confd plugins inspect <name>`. */
import type { Command } from 'commander';
import { builtinDatabaseNames } from '../../../builtin/databases/index.js';
import { backendSpecs, resolveBackend } from '../../backends/index.js';
import { formatError } from '../../errors.js';
import type { CliContext } from '../context.js';

/** The settings `plugins list` reads: where to find plugins, and the config file and log. */
const LIST_FLAGS = ['confdir', 'config-file', 'plugin-dir', 'log-level', 'log-format'];
/** `plugins inspect` also starts the plugin. */
const INSPECT_FLAGS = [...LIST_FLAGS, 'plugin-start-timeout'];

export function register(program: Command, ctx: CliContext): void {
  const plugins = program.command('plugins').description('list and inspect backends');

  const list = plugins.command('list').description('every built-in and external backend, with paths; shadowed plugins are marked');
  ctx.addSettingsOptions(list, { only: LIST_FLAGS }).action(async () => {
    const { settings } = await ctx.loadSettings(list);
    const host = await import('../../plugin/host/index.js');
    const builtins = builtinDatabaseNames();
    for (const name of builtins) process.stdout.write(`${name.padEnd(16)} built-in\n`);
    for (const plugin of await host.listPlugins(host.pluginSearchDirs(settings.pluginDirs), builtins)) {
      process.stdout.write(`${plugin.name.padEnd(16)} ${plugin.path}${plugin.shadowedBy ? `  (shadowed by ${plugin.shadowedBy})` : ''}\n`);
    }
    // What each backend of confd.toml resolves to (default, then [backends.<name>]).
    process.stdout.write('\nconfigured backends:\n');
    for (const spec of backendSpecs(settings).values()) {
      const resolved = await resolveBackend(spec.backend, spec.pluginDirs).catch((error: unknown) => formatError(error));
      const where = typeof resolved === 'string' ? `error: ${resolved}` : resolved.kind === 'builtin' ? 'built-in' : resolved.path;
      process.stdout.write(`${spec.name.padEnd(16)} ${spec.backend.padEnd(16)} ${where}\n`);
    }
  });

  const inspect = plugins.command('inspect <name>').description('start a plugin (a name or a path), show its handshake and capabilities, stop it');
  ctx.addSettingsOptions(inspect, { only: INSPECT_FLAGS }).action(async (name: string) => {
    const { settings, logger } = await ctx.loadSettings(inspect);
    const host = await import('../../plugin/host/index.js');
    const resolved = await resolveBackend(name, settings.pluginDirs);
    // Built-ins are inspected as what they are over the wire: `confd internal-plugin database <name>`.
    const builtin = resolved.kind === 'builtin' ? resolved.name : undefined;
    const path = resolved.kind === 'plugin' ? resolved.path : process.execPath;
    const args = builtin ? [process.argv[1], 'internal-plugin', 'database', builtin] : [];
    const displayName = resolved.name;
    const plugin = await host.launchPlugin({ name: displayName, path, args, logger: logger.child(`plugin.${name}`), startTimeoutMs: settings.pluginStartTimeoutMs });
    try {
      const h = plugin.handshake;
      const lines = [
        `plugin:     ${displayName}`,
        `path:       ${builtin ? `built-in (${process.argv[1]} internal-plugin database ${builtin})` : path}`,
        `pid:        ${plugin.pid}`,
        `handshake:  ${h.coreVersion}|${h.appVersion}|${h.network}|${h.address}|${h.protocol}|${h.serverCert}`,
        `protocol:   go-plugin core ${h.coreVersion}, confd app protocol ${h.appVersion}, ${h.protocol} over ${h.network}`,
        `name:       ${plugin.info?.name || '(no info service)'}`,
        `version:    ${plugin.info?.version || 'unknown'}`,
        `can watch:  ${plugin.info ? (plugin.info.canWatch ? 'yes' : 'no (polled)') : 'unknown (old plugin: watch is tried, UNIMPLEMENTED means polled)'}`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    } finally {
      await plugin.stop();
    }
  });
}
