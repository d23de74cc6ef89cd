/**
 * Adds every setting in the options table to a commander command as a flag, and reads
 * the given flags back as raw values (validation happens in src/config).
 */
import { Option, type Command } from 'commander';
import type { CliValues } from '../config/load.js';
import { envNameFor, OPTIONS } from '../config/options.js';

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function addSettingsOptions(command: Command): Command {
  for (const spec of OPTIONS) {
    const help = `${spec.description} [env ${envNameFor(spec)}]`;
    if (spec.kind === 'boolean') {
      // `--watch`, `--watch=false` and `--watch true` all work, as users of confd expect.
      command.addOption(new Option(`--${spec.flag} [bool]`, help).preset('true'));
    } else if (spec.kind === 'list') {
      command.addOption(new Option(`--${spec.flag} <${spec.valueName ?? 'value'}>`, help).argParser(collect));
    } else {
      command.addOption(new Option(`--${spec.flag} <${spec.valueName ?? 'value'}>`, help));
    }
  }
  return command;
}

export function readSettingsOptions(command: Command): CliValues {
  const opts = command.opts<Record<string, unknown>>();
  const values: CliValues = {};
  for (const spec of OPTIONS) {
    const raw = opts[camel(spec.flag)];
    if (raw !== undefined) values[spec.field] = raw;
  }
  return values;
}
