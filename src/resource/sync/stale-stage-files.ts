/**
 * Stage files left behind by a confd that was killed mid-write (SIGKILL, power loss)
 * would stay forever and can keep a small disk full. Before the first write to a dest,
 * files next to it whose names match exactly our stage-file pattern
 * (`.<destbase>.<12 hex>`) are removed and logged. Nothing else is touched.
 */
import { readdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from '../../log/logger.js';
import { stageNamePattern } from './stage-file.js';

/** Removes stale stage files of `dest`; returns the paths removed. */
export async function removeStaleStageFiles(dest: string, logger: Logger): Promise<string[]> {
  return removeStaleAmong(dest, await listDir(dirname(dest)), logger);
}

/** The names in `dir`, or none when it does not exist yet (nothing can be stale there). */
async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** Removes the entries of `names` (dest's directory) that are stage files of `dest`. */
async function removeStaleAmong(dest: string, names: readonly string[], logger: Logger): Promise<string[]> {
  const dir = dirname(dest);
  const pattern = stageNamePattern(dest);
  const removed: string[] = [];
  for (const name of names.filter((n) => pattern.test(n))) {
    const path = join(dir, name);
    try {
      await unlink(path);
      removed.push(path);
      logger.warn(`removed stale stage file ${path} (left by an earlier confd run that did not finish)`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') logger.warn(`cannot remove stale stage file ${path}: ${(error as Error).message}`);
    }
  }
  return removed;
}

/**
 * Runs the clean-up once per dest for the life of the process (at start-up, or when a
 * resource first appears), so it never races a stage file this process is writing.
 * Concurrent callers for the same dest share one clean-up and all wait for it.
 *
 * Each directory is listed once, not once per dest: 10 000 dests in one directory would
 * otherwise read that 10 000-entry directory 10 000 times (quadratic; W7 measured it).
 * A listing taken before a dest's own first write cannot hold a stage file this process
 * made for that dest, so sharing it is safe. Only dot-names are kept (stage names are).
 */
export class StaleStageFileSweeper {
  private readonly swept = new Map<string, Promise<unknown>>();
  private readonly listings = new Map<string, Promise<string[]>>();

  async sweepOnce(dest: string, logger: Logger): Promise<void> {
    let sweep = this.swept.get(dest);
    if (!sweep) this.swept.set(dest, (sweep = this.dotNames(dirname(dest)).then((names) => removeStaleAmong(dest, names, logger))));
    await sweep;
  }

  private dotNames(dir: string): Promise<string[]> {
    let listing = this.listings.get(dir);
    if (!listing) this.listings.set(dir, (listing = listDir(dir).then((names) => names.filter((n) => n.startsWith('.')))));
    return listing;
  }
}
