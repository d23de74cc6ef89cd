/**
 * The stage file: the new content written next to dest (`.<destbase>.<random>`, so the
 * final rename never crosses filesystems), fsynced, then given dest's mode and owner.
 */
import { randomBytes } from 'node:crypto';
import { chmod, chown, open, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConfdError } from '../../errors.js';
import type { Ownership } from './owner.js';

export function stagePathFor(dest: string): string {
  return join(dirname(dest), `.${basename(dest)}.${randomBytes(6).toString('hex')}`);
}

export async function writeStageFile(dest: string, content: Buffer, mode: number, owner: Ownership): Promise<string> {
  const stage = stagePathFor(dest);
  const handle = await open(stage, 'wx', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(stage, mode);
    await chown(stage, owner.uid, owner.gid);
  } catch (error) {
    await rm(stage, { force: true });
    throw new ConfdError(`cannot set mode ${mode.toString(8).padStart(4, '0')} and owner ${owner.uid}:${owner.gid} on ${dest}: ${(error as Error).message}`, {
      file: dest,
    });
  }
  return stage;
}

/** fsync a directory so a rename into it survives a crash. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    /* some filesystems do not support fsync on directories */
  } finally {
    await handle.close();
  }
}
