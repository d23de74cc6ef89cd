/**
 * exec: values from any command that prints a document (JSON, YAML, TOML or
 * `NAME=value` lines), flattened exactly as the file backend flattens a data file.
 *
 * Configure keys: `command` (a string, or a JSON array for argv), `shell` (`true` runs
 * the string with /bin/sh -c), `format` (json, yaml, toml, env or auto), `watchMode`
 * (`poll`: run the command on every read, and the daemon polls at --interval; `stream`:
 * one long-running command prints a new document after each change), and `timeout`
 * (per run in poll mode, for the first document in stream mode; default 30s).
 */
import { WatchUnsupportedError, type Database, type DatabaseConfig, type DatabaseFactory, type KeyValues } from '../../../src/database/database.js';
import { pickUnder } from '../../../src/database/key-path.js';
import { ConfdError } from '../../../src/errors.js';
import { parseFormatSetting, type FormatSetting } from '../document/index.js';
import { booleanSetting, choiceSetting, durationSetting } from '../settings.js';
import { SnapshotFeeds } from '../snapshot-feeds.js';
import { parseCommand, type ExecCommand } from './command-line.js';
import { runCommandOnce } from './run-once.js';
import { CommandStream } from './stream.js';

const DEFAULT_TIMEOUT_MS = 30_000;
const WATCH_MODES = ['poll', 'stream'] as const;

interface ExecSettings {
  command: ExecCommand;
  format: FormatSetting;
  mode: (typeof WATCH_MODES)[number];
  timeoutMs: number;
}

export class ExecDatabase implements Database {
  private settings: ExecSettings | undefined;
  private stream: CommandStream | undefined;
  private readonly feeds = new SnapshotFeeds();

  /** Poll mode has no change notifications; unknown until configured. */
  get canWatch(): boolean | undefined {
    return this.settings ? this.settings.mode === 'stream' : undefined;
  }

  async configure(config: DatabaseConfig): Promise<void> {
    this.settings = {
      command: parseCommand(config.command, booleanSetting(config, 'shell', 'exec')),
      format: parseFormatSetting(config.format, 'exec'),
      mode: choiceSetting(config, 'watchMode', WATCH_MODES, 'exec'),
      timeoutMs: durationSetting(config, 'timeout', DEFAULT_TIMEOUT_MS, 'exec'),
    };
    if (this.settings.mode === 'stream') this.stream = new CommandStream(this.settings.command, this.settings.format, this.feeds);
  }

  private get configured(): ExecSettings {
    if (!this.settings) throw new ConfdError('exec backend used before configure', { backend: 'exec' });
    return this.settings;
  }

  async getValues(prefixes: readonly string[]): Promise<KeyValues> {
    const { command, format, timeoutMs } = this.configured;
    const document = this.stream ? await this.stream.current(timeoutMs) : await runCommandOnce(command, format, timeoutMs);
    if (this.stream) this.feeds.returned(document);
    return pickUnder(document, prefixes);
  }

  async *watchPrefix(prefix: string, keys: readonly string[], signal: AbortSignal): AsyncIterable<void> {
    if (!this.stream) throw new WatchUnsupportedError('exec (watch_mode = "poll")');
    this.stream.start();
    yield* this.feeds.subscribe(prefix, keys, signal);
  }

  async close(): Promise<void> {
    await this.stream?.stop();
  }
}

export const createDatabase: DatabaseFactory = () => new ExecDatabase();
