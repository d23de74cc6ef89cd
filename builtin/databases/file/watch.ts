/**
 * Change notifications for the file backend, with chokidar.
 *
 * - A configured file is watched through its parent directory, so an editor that saves
 *   by writing a temp file and renaming it over the original, or a file deleted and
 *   created again, is still seen (a watch on the file's inode would go stale).
 * - A configured directory is watched recursively; only files whose base name matches
 *   `--filter` count, plus directories appearing or vanishing.
 * - One chokidar watcher serves every watchPrefix call with the same paths and filter
 *   (the daemon opens one per prefix; a file change can touch any prefix, so every
 *   subscriber is woken: events are coarse, and the daemon's re-render writes only what
 *   actually changed).
 * - Each subscriber gets one event as soon as the watcher is ready: a change made
 *   between the caller's last read and that moment would otherwise be lost.
 */
import { dirname, resolve, sep } from 'node:path';
import { statSync } from 'node:fs';
import { ConfdError } from '../../../src/errors.js';
import { matchGlob } from '../../../src/util/go-glob.js';

/** Events closer together than this are delivered as one (an editor's write + rename). */
const SETTLE_MS = 25;
/** Longer than chokidar's 50 ms per-file `change` throttle. */
const TRAILING_MS = 120;

interface Listener {
  event(): void;
  error(error: Error): void;
}

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

class SharedWatcher {
  refs = 0;
  readonly listeners = new Set<Listener>();
  readonly ready: Promise<void>;
  private settleTimer: NodeJS.Timeout | undefined;
  private trailingTimer: NodeJS.Timeout | undefined;
  private readonly closeWatcher: Promise<() => Promise<void>>;

  constructor(paths: readonly string[], filter: string) {
    const targets = classify(paths);
    const relevantPath = (path: string) => targets.files.has(path) || targets.dirs.some((d) => isUnder(path, d)) || targets.roots.includes(path);
    const counts = (event: string, path: string) => {
      if (targets.files.has(path)) return true;
      if (!targets.dirs.some((d) => isUnder(path, d))) return false;
      if (event === 'addDir' || event === 'unlinkDir') return true;
      return matchGlob(filter, path.slice(path.lastIndexOf(sep) + 1));
    };
    let markReady!: () => void;
    this.ready = new Promise((r) => (markReady = r));
    // chokidar loads lazily: only `confd watch` with the file backend pays for it.
    this.closeWatcher = import('chokidar').then(({ watch }) => {
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
      watcher.on('error', (error) => {
        for (const listener of this.listeners) listener.error(error instanceof Error ? error : new Error(String(error)));
      });
      watcher.on('ready', markReady);
      return () => watcher.close();
    });
    this.closeWatcher.catch((error: Error) => {
      for (const listener of this.listeners) listener.error(error);
    });
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
    for (const listener of this.listeners) listener.event();
  }

  async close(): Promise<void> {
    clearTimeout(this.settleTimer);
    clearTimeout(this.trailingTimer);
    const close = await this.closeWatcher.catch(() => undefined);
    await close?.();
  }
}

const shared = new Map<string, SharedWatcher>();

function acquire(paths: readonly string[], filter: string): { watcher: SharedWatcher; release(): void } {
  const id = JSON.stringify([paths, filter]);
  let watcher = shared.get(id);
  if (!watcher) {
    watcher = new SharedWatcher(paths, filter);
    shared.set(id, watcher);
  }
  watcher.refs++;
  const held = watcher;
  let released = false;
  return {
    watcher: held,
    release() {
      if (released) return;
      released = true;
      if (--held.refs === 0) {
        shared.delete(id);
        void held.close();
      }
    },
  };
}

export async function* watchDataFiles(paths: readonly string[], filter: string, signal: AbortSignal): AsyncIterable<void> {
  if (signal.aborted) return;
  const { watcher, release } = acquire(paths, filter);
  let pending = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const listener: Listener = {
    event() {
      pending = true;
      wake?.();
    },
    error(error) {
      failure = error;
      wake?.();
    },
  };
  const onAbort = () => wake?.();
  watcher.listeners.add(listener);
  signal.addEventListener('abort', onAbort);
  try {
    await Promise.race([watcher.ready, new Promise<void>((r) => (wake = r))]);
    wake = undefined;
    if (signal.aborted) return;
    if (failure) throw failure;
    yield; // ready: whatever happened before this is re-read by the caller
    while (!signal.aborted) {
      // Set by the listener between iterations; TypeScript cannot see that.
      const failed = failure as Error | undefined;
      if (failed) {
        throw new ConfdError(`watching data files failed: ${failed.message}`, { backend: 'file', file: paths.join(', ') }, { cause: failed });
      }
      if (pending) {
        pending = false;
        yield;
        continue;
      }
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    watcher.listeners.delete(listener);
    release();
  }
}
