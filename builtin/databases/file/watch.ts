/**
 * Change notifications for the file backend. chokidar reports events; each event (and
 * a check every second) compares a signature of the data files — path, inode, size and
 * mtime of each — with the one at the last notification. That way:
 *   - editors that save by rename, and files deleted and recreated, are seen (listed
 *     files are watched through their parent directories);
 *   - events chokidar coalesces or drops in a burst cannot hide the final state;
 *   - events that change nothing (a touch of an unrelated file) notify nobody.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { matchGlob } from '../../../src/util/go-glob.js';
import { findDataFiles } from './find-files.js';

const RECHECK_MS = 1000;
const SETTLE_MS = 150;

async function signatureOf(paths: readonly string[], filter: string): Promise<string> {
  let files: string[];
  try {
    files = await findDataFiles(paths, filter);
  } catch {
    // A listed file is missing right now (mid-rename, or deleted): list what exists.
    files = (await Promise.all(paths.map((p) => findDataFiles([p], filter).catch(() => [])))).flat();
  }
  const parts = await Promise.all(
    files.map(async (file) => {
      const s = await stat(file).catch(() => undefined);
      return s ? `${file}:${s.ino}:${s.size}:${s.mtimeMs}` : `${file}:gone`;
    }),
  );
  return parts.join('\n');
}

export async function* watchDataFiles(paths: readonly string[], filter: string, signal: AbortSignal): AsyncIterable<void> {
  const { watch } = await import('chokidar');
  const absolute = paths.map((p) => resolve(p));
  const files = new Set<string>();
  const dirs: string[] = [];
  for (const path of absolute) {
    if (await stat(path).then((s) => s.isDirectory(), () => false)) dirs.push(path);
    else files.add(path);
  }
  const relevant = (path: string): boolean => {
    const p = resolve(path);
    return files.has(p) || dirs.some((dir) => p === dir || (p.startsWith(dir + '/') && matchGlob(filter, basename(p))));
  };

  let lastSignature = await signatureOf(absolute, filter);
  let pending = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  let checking = Promise.resolve();
  const check = () => {
    checking = checking.then(async () => {
      const now = await signatureOf(absolute, filter);
      if (now !== lastSignature) {
        lastSignature = now;
        pending = true;
        wake?.();
      }
    });
  };

  const watcher = watch([...dirs, ...[...files].map((f) => dirname(f))], {
    ignoreInitial: true,
    // A listed file's directory itself, not everything below it.
    depth: dirs.length > 0 ? undefined : 0,
  });
  watcher.on('all', (_event, path) => {
    if (!relevant(path)) return;
    check();
    setTimeout(check, SETTLE_MS).unref();
  });
  watcher.on('error', (error) => {
    failure = error instanceof Error ? error : new Error(String(error));
    wake?.();
  });
  const timer = setInterval(check, RECHECK_MS);
  timer.unref();
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await new Promise<void>((r) => watcher.once('ready', () => r()));
    while (!signal.aborted) {
      if (failure) throw failure;
      if (pending) {
        pending = false;
        yield;
        continue;
      }
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
    }
  } finally {
    clearInterval(timer);
    signal.removeEventListener('abort', onAbort);
    await watcher.close();
  }
}
