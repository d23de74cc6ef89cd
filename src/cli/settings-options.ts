/**
 * Adds the settings in the options table to a commander command as flags (with their
 * defaults in the help), and reads the given flags back as raw values (validation
 * happens in src/config).
 */
import { Option, type Command } from 'commander';
import type { CliValues } from '../config/load.js';
import { formatDuration } from '../config/duration.js';
import { formatSize } from '../config/size.js';
import { envNameFor, IGNORED_SETTINGS, OPTIONS, type OptionSpec } from '../config/options.js';
import { defaultSettings, type Settings } from '../config/settings.js';

export interface SettingsFlagsOptions {
  /** Only these flags (by long name), for commands that read a few settings. Default: all. */
  only?: readonly string[];
  /** Defaults that differ for this command (`watch` defaults `--watch` to true), for the help. */
  defaults?: Partial<Settings>;
}

/** Defaults that are not a plain value of the setting. */
const DEFAULT_TEXT: Partial<Record<keyof Settings, string>> = {
  configFile: '<confdir>/confd.toml (or .yaml/.yml), else /etc/confd/confd.toml',
  nodes: "the backend's own, e.g. http://127.0.0.1:2379 for etcd",
  separator: '/',
};

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function defaultText(spec: OptionSpec, value: unknown): string | undefined {
  const text = DEFAULT_TEXT[spec.field];
  if (text) return text;
  if (spec.kind === 'duration' && typeof value === 'number') return formatDuration(value);
  if (spec.kind === 'size' && typeof value === 'number') return formatSize(value).replace(' ', '');
  if (value === undefined || value === '' || value === false) return undefined;
  if (Array.isArray(value)) return value.length > 0 ? value.join(', ') : undefined;
  return String(value);
}

export function addSettingsOptions(command: Command, options: SettingsFlagsOptions = {}): Command {
  const defaults = { ...defaultSettings(), ...options.defaults };
  for (const spec of OPTIONS) {
    if (options.only && !options.only.includes(spec.flag)) continue;
    const shownDefault = defaultText(spec, defaults[spec.field]);
    const help = `${spec.description}${shownDefault ? ` (default: ${shownDefault})` : ''} [env ${envNameFor(spec)}]`;
    if (spec.kind === 'boolean') {
      // `--watch`, `--watch=false` and `--watch true` all work, as users of confd expect.
      command.addOption(new Option(`--${spec.flag} [bool]`, help).preset('true'));
    } else if (spec.kind === 'list') {
      command.addOption(new Option(`--${spec.flag} <${spec.valueName ?? 'value'}>`, help).argParser(collect));
    } else {
      // Choices are checked in src/config, like every other value, so errors read the same.
      command.addOption(new Option(`--${spec.flag} <${spec.valueName ?? 'value'}>`, help));
    }
  }
  if (!options.only) {
    for (const ignored of IGNORED_SETTINGS) {
      if (ignored.flag) command.addOption(new Option(`--${ignored.flag} <value>`, `accepted for confd compatibility and ignored: ${ignored.reason}`));
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

/** Warnings for confd flags that were given but mean nothing here. */
export function ignoredFlagWarnings(command: Command): string[] {
  const opts = command.opts<Record<string, unknown>>();
  return IGNORED_SETTINGS.filter((ignored) => ignored.flag && opts[camel(ignored.flag)] !== undefined).map(
    (ignored) => `--${ignored.flag} is a confd setting that is ignored here: ${ignored.reason}`,
  );
}
