/** The file backend's watchPrefix (chokidar), driven directly with real files. */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileDatabase } from '../../builtin/databases/file/index.js';

let root: string | undefined;
const aborts: AbortController[] = [];
afterEach(() => {
  for (const a of aborts.splice(0)) a.abort();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Counts the events of one watchPrefix iterator in the background. */
function follow(db: FileDatabase, prefix: string): { count: () => number; lastAt: () => number; done: Promise<void>; abort: AbortController } {
  const abort = new AbortController();
  aborts.push(abort);
  let n = 0;
  let lastAt = 0;
  const done = (async () => {
    for await (const _ of db.watchPrefix(prefix, [prefix], abort.signal)) {
      n++;
      lastAt = Date.now();
    }
  })();
  return { count: () => n, lastAt: () => lastAt, done, abort };
}

async function until(check: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('file backend watchPrefix', () => {
  it('reports ready once, then edits, rename-saves and delete + recreate of a watched file', async () => {
    root = mkdtempSync(join(tmpdir(), 'confd-fw-'));
    const file = join(root, 'values.yaml');
    writeFileSync(file, 'a: 1\n');
    const db = new FileDatabase();
    await db.configure({ yamlFile: file });
    const w = follow(db, '/a');
    await until(() => w.count() === 1, 'the ready event');

    writeFileSync(file, 'a: 2\n');
    await until(() => w.count() >= 2, 'the edit');
    expect(await db.getValues(['/a'])).toEqual({ '/a': '2' });

    // Straight after the edit (inside chokidar's 50 ms per-file change throttle): an
    // event still follows the rename, and a read after it sees the new content.
    writeFileSync(join(root, 'values.yaml.tmp'), 'a: 3\n');
    renameSync(join(root, 'values.yaml.tmp'), file);
    const renamedAt = Date.now();
    await until(() => w.lastAt() > renamedAt, 'an event after the rename-save');
    expect(await db.getValues(['/a'])).toEqual({ '/a': '3' });

    await new Promise((r) => setTimeout(r, 200));
    rmSync(file);
    await new Promise((r) => setTimeout(r, 200));
    writeFileSync(file, 'a: 4\n');
    const recreatedAt = Date.now();
    await until(() => w.lastAt() > recreatedAt, 'an event after the recreate');
    expect(await db.getValues(['/a'])).toEqual({ '/a': '4' });
    await new Promise((r) => setTimeout(r, 300));

    // Files next to the watched one do not count.
    const before = w.count();
    writeFileSync(join(root, 'unrelated.yaml'), 'x: 1\n');
    await new Promise((r) => setTimeout(r, 300));
    expect(w.count()).toBe(before);
    w.abort.abort();
    await w.done; // the iterator ends when its signal aborts
  });

  it('watches a directory recursively with --filter, and wakes every prefix from one watcher', async () => {
    root = mkdtempSync(join(tmpdir(), 'confd-fw-'));
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'sub', 'one.yaml'), 'a: 1\n');
    const db = new FileDatabase();
    await db.configure({ yamlFile: root, filter: '*.yaml' });
    const a = follow(db, '/a');
    const b = follow(db, '/b');
    await until(() => a.count() === 1 && b.count() === 1, 'both ready events');

    writeFileSync(join(root, 'sub', 'two.yaml'), 'b: 1\n');
    await until(() => a.count() >= 2 && b.count() >= 2, 'a new matching file');
    await new Promise((r) => setTimeout(r, 200));
    const seen = [a.count(), b.count()];

    writeFileSync(join(root, 'sub', 'notes.txt'), 'ignored');
    await new Promise((r) => setTimeout(r, 300));
    expect([a.count(), b.count()]).toEqual(seen);
  });
});
