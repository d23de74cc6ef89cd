/**
 * file: values from YAML, JSON or TOML files and directories (`--file`, repeatable;
 * `--filter` globs base names while walking directories). Configure keys: `yamlFile`
 * (comma-joined paths) and `filter`, as in the confd plugin draft.
 */
import type { Database, DatabaseConfig, DatabaseFactory, KeyValues } from '../../../src/database/database.js';
import { pickUnder } from '../../../src/database/key-path.js';
import { ConfdError } from '../../../src/errors.js';
import { findDataFiles } from './find-files.js';
import { flatten } from './flatten.js';
import { parseDataFile } from './parse.js';
import { DataFileWatcher } from './watch.js';

export class FileDatabase implements Database {
  private paths: string[] = [];
  private filter = '*';
  private watcher: DataFileWatcher | undefined;

  async configure(config: DatabaseConfig): Promise<void> {
    this.paths = (config.yamlFile ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    this.filter = config.filter || '*';
    if (this.paths.length === 0) throw new ConfdError('the file backend needs at least one --file (or `file = [...]` in the config file)', { backend: 'file', setting: 'file' });
  }

  async getValues(prefixes: readonly string[]): Promise<KeyValues> {
    const all: KeyValues = {};
    for (const path of await findDataFiles(this.paths, this.filter)) flatten(await parseDataFile(path), all);
    return pickUnder(all, prefixes);
  }

  watchPrefix(_prefix: string, _keys: readonly string[], signal: AbortSignal): AsyncIterable<void> {
    this.watcher ??= new DataFileWatcher(this.paths, this.filter);
    return this.watcher.subscribe(signal);
  }

  async close(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = undefined;
    await watcher?.close();
  }
}

export const createDatabase: DatabaseFactory = () => new FileDatabase();
