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
import { watchDataFiles } from './watch.js';

export class FileDatabase implements Database {
  private paths: string[] = [];
  private filter = '*';

  async configure(config: DatabaseConfig): Promise<void> {
    this.paths = (config.yamlFile ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    this.filter = config.filter || '*';
    if (this.paths.length === 0) throw new ConfdError('the file backend needs at least one --file', { backend: 'file', setting: 'file' });
  }

  async getValues(prefixes: readonly string[]): Promise<KeyValues> {
    const all: KeyValues = {};
    for (const path of await findDataFiles(this.paths, this.filter)) flatten(await parseDataFile(path), all);
    return pickUnder(all, prefixes);
  }

  watchPrefix(_prefix: string, _keys: readonly string[], signal: AbortSignal): AsyncIterable<void> {
    return watchDataFiles(this.paths, this.filter, signal);
  }

  async close(): Promise<void> {}
}

export const createDatabase: DatabaseFactory = () => new FileDatabase();
