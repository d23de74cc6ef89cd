/** `confd internal-plugin database <name>`: serves a built-in backend over the plugin protocol. */
import type { Command } from 'commander';
import { builtinDatabaseNames, loadBuiltinDatabase } from '../../../builtin/databases/index.js';
import { ConfdError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { packageVersion } from '../../version.js';

export function register(program: Command, _ctx: CliContext): void {
  const internal = program.command('internal-plugin').description('serve a built-in backend as a plugin (for plugin hosts and tests)');
  internal
    .command('database <name>')
    .description(`serve the built-in <name> backend (${builtinDatabaseNames().join(', ')}) over the go-plugin gRPC protocol`)
    .option('--listen <address>', 'serve on unix:/path or tcp:127.0.0.1:PORT for confd to reattach to ([plugins.<name>] reattach), instead of for a host that launched it')
    .action(async (name: string, flags: { listen?: string }) => {
      const factory = await loadBuiltinDatabase(name);
      if (!factory) throw new ConfdError(`no built-in backend named "${name}" (built-ins: ${builtinDatabaseNames().join(', ')})`, { backend: name });
      const { serve } = await import('../../plugin/serve/index.js');
      await serve({ database: factory(), name, version: packageVersion(), listen: flags.listen });
      // Keep the process alive until Shutdown or the host goes away.
      await new Promise(() => {});
    });
}
