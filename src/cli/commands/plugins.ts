/** `confd plugins list` and `confd plugins inspect <name>`. */
import type { Command } from 'commander';
import { builtinDatabaseNames, canonicalBuiltinName } from '../../../builtin/databases/index.js';
import { ConfdError } from '../../errors.js';
import type { CliContext } from '../context.js';

export function register(program: Command, ctx: CliContext): void {
  const plugins = program.command('plugins').description('list and inspect backends');

  const list = plugins.command('list').description('every built-in and external backend, with paths; shadowed plugins are marked');
  ctx.addSettingsOptions(list).action(async () => {
    const { settings } = await ctx.loadSettings(list);
    const host = await import('../../plugin/host/index.js');
    const builtins = builtinDatabaseNames();
    for (const name of builtins) process.stdout.write(`${name.padEnd(16)} built-in\n`);
    for (const plugin of await host.listPlugins(host.pluginSearchDirs(settings.pluginDirs), builtins)) {
      process.stdout.write(`${plugin.name.padEnd(16)} ${plugin.path}${plugin.shadowedBy ? `  (shadowed by ${plugin.shadowedBy})` : ''}\n`);
    }
  });

  const inspect = plugins.command('inspect <name>').description('start a plugin (a name or a path), show its handshake and capabilities, stop it');
  ctx.addSettingsOptions(inspect).action(async (name: string) => {
    const { settings, logger } = await ctx.loadSettings(inspect);
    const host = await import('../../plugin/host/index.js');
    const builtin = name.includes('/') ? undefined : canonicalBuiltinName(name);
    let path: string | undefined;
    let args: string[] = [];
    if (builtin) {
      // Built-ins are inspected as what they are over the wire: `confd internal-plugin database <name>`.
      path = process.execPath;
      args = [process.argv[1], 'internal-plugin', 'database', builtin];
    } else if (name.includes('/')) {
      const problem = await host.checkPluginPath(name);
      if (problem) throw new ConfdError(`plugin ${name} ${problem}`, { pluginPath: name });
      path = name;
    } else {
      path = await host.findPlugin(name, host.pluginSearchDirs(settings.pluginDirs));
      if (!path) throw new ConfdError(`no confd-database-${name} plugin found in --plugin-dir, the confd install directory or PATH`, { backend: name });
    }
    const displayName = builtin ?? (name.includes('/') ? (host.pluginNameOf(name.split('/').pop()!) ?? name) : name);
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
