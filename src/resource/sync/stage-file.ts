/**
 * The stage file: the new content written next to dest (`.<destbase>.<12 hex>`, so the
 * final rename never crosses filesystems). Everything after the create happens through
 * the open handle, in this order:
 *
 *   open O_CREAT|O_EXCL|O_NOFOLLOW 0600 → write → fchown → fchmod → fsync → fstat → close
 *
 * O_EXCL|O_NOFOLLOW: we never open a file or symlink someone else put at that name.
 * By handle: a symlink renamed over the name later cannot redirect chown/chmod to its
 * target (a dest directory's owner could otherwise make root chown /etc/shadow).
 * fchown before fchmod: chown clears setuid/setgid, so the mode must come last.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConfdError } from '../../errors.js';
import type { Ownership } from './owner.js';

const RANDOM_BYTES = 6;

export function stagePathFor(dest: string): string {
  return join(dirname(dest), `.${basename(dest)}.${randomBytes(RANDOM_BYTES).toString('hex')}`);
}

/** Matches exactly the names `stagePathFor(dest)` produces, and nothing else. */
export function stageNamePattern(dest: string): RegExp {
  const base = basename(dest).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\.${base}\\.[0-9a-f]{${RANDOM_BYTES * 2}}$`);
}

/** A stage file we created, identified by its inode so a swapped name is noticed. */
export interface StagedFile {
  path: string;
  dev: number;
  ino: number;
}

export function formatMode(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

/** Writes `content` with `mode` and `owner` into a new stage file; removes it on any error. */
export async function writeStageFile(dest: string, content: Buffer, mode: number, owner: Ownership): Promise<StagedFile> {
  const path = stagePathFor(dest);
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    throw new ConfdError(`cannot create stage file ${path}: ${(error as Error).message}; ${dest} is unchanged`, { file: dest });
  }
  let step = 'write';
  try {
    await handle.writeFile(content);
    step = `set owner ${owner.uid}:${owner.gid} on`;
    await handle.chown(owner.uid, owner.gid);
    step = `set mode ${formatMode(mode)} on`;
    await handle.chmod(mode);
    step = 'fsync';
    await handle.sync();
    const info = await handle.stat();
    await handle.close();
    return { path, dev: info.dev, ino: info.ino };
  } catch (error) {
    await handle.close().catch(() => {});
    await removeStageFile(path);
    throw new ConfdError(`cannot ${step} the stage file for ${dest}: ${(error as Error).message}; ${dest} is unchanged`, { file: dest });
  }
}

/**
 * Before the rename: the stage path must still name the regular file we wrote. Someone
 * who can write dest's directory could have renamed another file or a symlink over it.
 */
export async function verifyStageFile(staged: StagedFile, dest: string): Promise<void> {
  let same = false;
  try {
    const info = await lstat(staged.path);
    same = info.isFile() && info.dev === staged.dev && info.ino === staged.ino;
  } catch {
    same = false;
  }
  if (!same) {
    throw new ConfdError(`the stage file ${staged.path} was replaced or removed by someone else before it could be renamed onto ${dest}; ${dest} is unchanged`, { file: dest });
  }
}

/** Removes a stage file by name (unlink never follows a symlink). */
export async function removeStageFile(path: string): Promise<void> {
  await rm(path, { force: true }).catch(() => {});
}

/** fsync a directory so a rename into it survives a crash. Throws when it cannot be opened. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } catch (error) {
    // Some filesystems do not support fsync on directories: nothing more to do there.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP') throw error;
  } finally {
    await handle.close();
  }
}
