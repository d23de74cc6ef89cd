/**
 * The command line: `confd render`, `confd watch`, `confd plugins …`, `confd version`,
 * `confd internal-plugin database <name>`, and confd's classic `-onetime`/`-watch`
 * flags translated onto them.
 */
import { Command, CommanderError } from 'commander';
import { formatError, reportError } from '../errors.js';
import { translateClassicArgs } from './classic-args.js';
import { createCliContext } from './context.js';
import { PROGRAM_EXAMPLES } from './help-text.js';
import * as check from './commands/check.js';
import * as internalPlugin from './commands/internal-plugin.js';
import * as plugins from './commands/plugins.js';
import * as render from './commands/render.js';
import * as version from './commands/version.js';
import * as watch from './commands/watch.js';

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const program = new Command('confd')
    .description('Render config files from templates and key/value data; check, atomically replace and reload them.')
    .version(version.versionLine(), '-V, --version')
    .addHelpText('after', PROGRAM_EXAMPLES)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const args = translateClassicArgs(argv);
  const ctx = createCliContext(args);
  // With --log-format json, commander's usage errors are JSON lines like every other.
  if (ctx.setupLogger().format === 'json') {
    program.configureOutput({ writeErr: (text) => text.trim() && ctx.setupLogger().error(text.trim()) });
  }
  render.register(program, ctx);
  watch.register(program, ctx);
  check.register(program, ctx);
  plugins.register(program, ctx);
  version.register(program, ctx);
  internalPlugin.register(program, ctx);
  try {
    await program.parseAsync(args, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const logger = ctx.setupLogger();
    if (logger.format === 'json') reportError(logger, error);
    else process.stderr.write(`confd: ${formatError(error)}\n`);
    return 1;
  }
}
