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
      const resolved = await resolveBackend(spec.backend, spec.pluginDirs, spec.plugins).catch((error: unknown) => formatError(error));
      const where =
        typeof resolved === 'string' ? `error: ${resolved}` : resolved.kind === 'builtin' ? 'built-in' : resolved.kind === 'reattach' ? `reattach ${resolved.address}` : resolved.path;
      process.stdout.write(`${spec.name.padEnd(16)} ${spec.backend.padEnd(16)} ${where}\n`);
    }
  });

  const inspect = plugins.command('inspect <name>').description('start a plugin (a name or a path), show its sha256 (to pin), handshake and capabilities, stop it');
  ctx.addSettingsOptions(inspect, { only: INSPECT_FLAGS }).action(async (name: string) => {
    const { settings, logger } = await ctx.loadSettings(inspect);
    const host = await import('../../plugin/host/index.js');
    const resolved = await resolveBackend(name, settings.pluginDirs, settings.plugins);
    const pluginLogger = logger.child(`plugin.${name}`);
    const common = { name: resolved.name, logger: pluginLogger, maxMessageBytes: settings.pluginMaxMessageBytes };
    if (resolved.kind === 'reattach') {
      const plugin = await host.reattachPlugin({ ...common, address: resolved.address, callTimeoutMs: settings.backendTimeoutMs });
      try {
        process.stdout.write([`plugin:     ${resolved.name}`, `reattach:   ${resolved.address} (plaintext; confd neither starts nor stops it)`, ...describeInfo(plugin.info)].join('\n') + '\n');
      } finally {
        await plugin.stop();
      }
      return;
    }
    // Built-ins are inspected as what they are over the wire: `confd internal-plugin database <name>`.
    const builtin = resolved.kind === 'builtin' ? resolved.name : undefined;
    const path = resolved.kind === 'plugin' ? resolved.path : process.execPath;
    const args = builtin ? [process.argv[1], 'internal-plugin', 'database', builtin] : [];
    const trust = builtin ? undefined : settings.plugins[resolved.name];
    const sha256 = builtin ? undefined : await host.fileSha256(path);
    const plugin = await host.launchPlugin({ ...common, path, args, trust, requireMtls: settings.pluginRequireMtls, startTimeoutMs: settings.pluginStartTimeoutMs });
    try {
      const h = plugin.handshake;
      const lines = [
        `plugin:     ${resolved.name}`,
        `path:       ${builtin ? `built-in (${process.argv[1]} internal-plugin database ${builtin})` : path}`,
        ...(sha256 ? [`sha256:     ${sha256}${trust?.sha256 ? ' (pinned)' : `  (pin it: [plugins.${resolved.name}] sha256 = "${sha256}")`}`] : []),
        `pid:        ${plugin.pid}`,
        `handshake:  ${h.line}`,
        `protocol:   go-plugin core ${h.coreVersion}, confd app protocol ${h.appVersion}, ${h.protocol} over ${h.network}`,
        `mtls:       ${plugin.mtls ? 'yes (AutoMTLS: each side pins the other\'s certificate)' : 'no (the plugin did not answer AutoMTLS; plaintext over its private socket)'}`,
        ...describeInfo(plugin.info),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    } finally {
      await plugin.stop();
    }
  });
}

function describeInfo(info: { name: string; version: string; canWatch: boolean } | undefined): string[] {
  return [
    `name:       ${info?.name || '(no info service)'}`,
    `version:    ${info?.version || 'unknown'}`,
    `can watch:  ${info ? (info.canWatch ? 'yes' : 'no (polled)') : 'unknown (old plugin: watch is tried, UNIMPLEMENTED means polled)'}`,
  ];
}
