/**
 * Expands the configured paths: a file is used as is, a directory is walked
 * recursively (sorted, so later files override earlier ones deterministically) and
 * keeps the files whose base name matches the filter glob.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfdError } from '../../../src/errors.js';
import { matchGlob } from '../../../src/util/go-glob.js';

export async function findDataFiles(paths: readonly string[], filter: string): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      throw new ConfdError(`data file or directory not found: ${(error as Error).message}`, { file: path, backend: 'file' });
    }
    if (info.isDirectory()) await walk(path, filter, found);
    else found.push(path);
  }
  return found;
}

async function walk(dir: string, filter: string, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, filter, found);
    else if (entry.isFile() && matchGlob(filter, entry.name)) found.push(path);
  }
}
