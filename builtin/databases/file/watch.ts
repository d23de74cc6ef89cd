/**
 * Change notifications for the file backend, with chokidar.
 *
 * - A configured file is watched through its parent directory, so an editor that saves
 *   by writing a temp file and renaming it over the original, or a file deleted and
 *   created again, is still seen (a watch on the file's inode would go stale).
 * - A configured directory is watched recursively; only files whose base name matches
 *   `--filter` count, plus directories appearing or vanishing.
 * - One chokidar watcher per FileDatabase serves all its watchPrefix calls (events are
 *   coarse, and the daemon's re-render writes only what actually changed).
 * - Each subscriber gets one event as soon as the watcher is ready: a change made
 *   between the caller's last read and that moment would otherwise be lost.
 */
import { dirname, resolve, sep } from 'node:path';
import { statSync } from 'node:fs';
import { ChangeFeed } from '../../../src/database/change-feed.js';
import { ConfdError } from '../../../src/errors.js';
import { matchGlob } from '../../../src/util/go-glob.js';

/** Events closer together than this are delivered as one (an editor's write + rename). */
const SETTLE_MS = 25;
/** Longer than chokidar's 50 ms per-file `change` throttle. */
const TRAILING_MS = 120;

interface Targets {
  files: Set<string>;
  dirs: string[];
  roots: string[];
}

function classify(paths: readonly string[]): Targets {
  const files = new Set<string>();
  const dirs: string[] = [];
  for (const path of paths.map((p) => resolve(p))) {
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      /* missing now: watch for it as a file */
    }
    if (isDir) dirs.push(path);
    else files.add(path);
  }
  const roots = [...new Set([...dirs, ...[...files].map((f) => dirname(f))])];
  return { files, dirs, roots };
}

function isUnder(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/**
 * One chokidar watcher for a FileDatabase's paths, serving all of its watchPrefix calls
 * (the daemon opens one per prefix; a file change can touch any prefix, so every
 * subscriber is woken). Created on the first subscription, closed by the database.
 */
export class DataFileWatcher {
  private readonly feeds = new Set<ChangeFeed>();
  private isReady = false;
  private failure: Error | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  private trailingTimer: NodeJS.Timeout | undefined;
  private readonly closeWatcher: Promise<(() => Promise<void>) | undefined>;
  private closed = false;

  constructor(private readonly paths: readonly string[], filter: string) {
    const targets = classify(paths);
    const relevantPath = (path: string) => targets.files.has(path) || targets.dirs.some((d) => isUnder(path, d)) || targets.roots.includes(path);
    const counts = (event: string, path: string) => {
      if (targets.files.has(path)) return true;
      if (!targets.dirs.some((d) => isUnder(path, d))) return false;
      if (event === 'addDir' || event === 'unlinkDir') return true;
      return matchGlob(filter, path.slice(path.lastIndexOf(sep) + 1));
    };
    // chokidar loads lazily: only `confd watch` with the file backend pays for it.
    this.closeWatcher = import('chokidar').then(
      ({ watch }) => {
        const watcher = watch(targets.roots, {
          ignoreInitial: true,
          persistent: true,
          atomic: true,
          // Never descend into unrelated directories next to a watched file.
          ignored: (path: string) => !relevantPath(resolve(path)),
        });
        watcher.on('all', (event, path) => {
          if (counts(event, resolve(path))) this.changed();
        });
        watcher.on('error', (error) => this.fail(error instanceof Error ? error : new Error(String(error))));
        watcher.on('ready', () => {
          this.isReady = true;
          // Whatever happened before this moment is re-read by each subscriber.
          for (const feed of this.feeds) feed.notify();
        });
        return () => watcher.close();
      },
      (error: Error) => {
        this.fail(error);
        return undefined;
      },
    );
  }

  /** Yields once when the watcher is ready, then once per batch of relevant changes. */
  async *subscribe(signal: AbortSignal): AsyncIterable<void> {
    if (signal.aborted) return;
    const feed = new ChangeFeed();
    if (this.failure) feed.fail(this.failure);
    else if (this.isReady) feed.notify();
    this.feeds.add(feed);
    try {
      yield* feed.changes(signal);
    } finally {
      this.feeds.delete(feed);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.settleTimer);
    clearTimeout(this.trailingTimer);
    for (const feed of this.feeds) feed.end();
    const close = await this.closeWatcher;
    await close?.();
  }

  private fail(error: Error): void {
    this.failure = new ConfdError(`watching data files failed: ${error.message}`, { backend: 'file', file: this.paths.join(', ') }, { cause: error });
    for (const feed of this.feeds) feed.fail(this.failure);
  }

  private changed(): void {
    this.settleTimer ??= setTimeout(() => {
      this.settleTimer = undefined;
      this.deliver();
    }, SETTLE_MS);
    // chokidar drops a second `change` of the same file within 50 ms of the first; a
    // trailing event after that window makes the caller re-read whatever it dropped.
    clearTimeout(this.trailingTimer);
    this.trailingTimer = setTimeout(() => {
      this.trailingTimer = undefined;
      this.deliver();
    }, TRAILING_MS);
  }

  private deliver(): void {
    for (const feed of this.feeds) feed.notify();
  }
}
