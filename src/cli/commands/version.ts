/** `confd version` (also `confd --version`, `-V` and classic `confd -version`). */
import type { Command } from 'commander';
import { packageVersion } from '../../version.js';
import type { CliContext } from '../context.js';

export function versionLine(): string {
  return `confd ${packageVersion()} (node ${process.version})`;
}

export function register(program: Command, _ctx: CliContext): void {
  program
    .command('version')
    .description('print the version and exit')
    .action(() => {
      process.stdout.write(`${versionLine()}\n`);
    });
}
