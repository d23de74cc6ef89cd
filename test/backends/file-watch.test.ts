/** The file backend's watch sees edits, rename-saves, and delete + recreate, on real files. */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileDatabase } from '../../builtin/databases/file/index.js';

/** Starts a watch and returns a function that waits for the next event (or times out). */
async function watching(paths: string[]) {
  const db = new FileDatabase();
  await db.configure({ yamlFile: paths.join(',') });
  const abort = new AbortController();
  const iterator = db.watchPrefix('/', [], abort.signal)[Symbol.asyncIterator]();
  let next = iterator.next();
  await new Promise((r) => setTimeout(r, 300)); // let the watcher get ready
  const nextEvent = async (timeoutMs = 3000): Promise<boolean> => {
    const got = await Promise.race([next.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs))]);
    if (got) next = iterator.next();
    return got;
  };
  return { nextEvent, stop: () => abort.abort() };
}

describe('file backend watch', () => {
  it('sees an edit, an atomic rename-save and a delete + recreate of a listed file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'confd-fw-'));
    const file = join(dir, 'data.yaml');
    writeFileSync(file, 'a: 1\n');
    const w = await watching([file]);
    try {
      writeFileSync(file, 'a: 2\n');
      expect(await w.nextEvent()).toBe(true);
      writeFileSync(join(dir, '.data.yaml.swp'), 'a: 3\n');
      renameSync(join(dir, '.data.yaml.swp'), file);
      expect(await w.nextEvent()).toBe(true);
      rmSync(file);
      expect(await w.nextEvent()).toBe(true);
      writeFileSync(file, 'a: 4\n');
      expect(await w.nextEvent()).toBe(true);
      // Unrelated files next to it are ignored.
      writeFileSync(join(dir, 'other.txt'), 'x');
      expect(await w.nextEvent(800)).toBe(false);
    } finally {
      w.stop();
    }
  });

  it('watches directories recursively, honouring the filter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'confd-fw-'));
    writeFileSync(join(dir, 'a.yaml'), 'a: 1\n');
    const w = await watching([dir]);
    try {
      writeFileSync(join(dir, 'b.yaml'), 'b: 1\n');
      expect(await w.nextEvent()).toBe(true);
    } finally {
      w.stop();
    }
  });
});
