/**
 * What differs between dest on disk and the desired file: content, mode, owner.
 *
 * dest is read without following a symlink and only when it is a regular file: a
 * symlink at dest is reported (and later replaced by a regular file), never read
 * through; a FIFO, socket, device or directory is refused (opening a FIFO for reading
 * would block confd for good).
 */
import { constants, type Stats } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { ConfdError } from '../../errors.js';
import type { Ownership } from './owner.js';

export type ChangeReason = 'created' | 'symlink' | 'content' | 'mode' | 'owner';

export interface DestState {
  /** A symlink at dest: never read through, always replaced by a regular file. */
  symlink: boolean;
  content: Buffer;
  mode: number;
  uid: number;
  gid: number;
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** Refuses anything but a regular file, with an error naming what dest is. */
export function assertRegularFile(info: Stats, dest: string): void {
  if (info.isFile()) return;
  throw new ConfdError(`${dest} is ${kindOf(info)}; confd only replaces regular files (remove it, or point dest elsewhere)`, { file: dest });
}

export async function readDest(dest: string): Promise<DestState | undefined> {
  let info: Stats;
  try {
    info = await lstat(dest);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (info.isSymbolicLink()) return { symlink: true, content: Buffer.alloc(0), mode: 0, uid: -1, gid: -1 };
  assertRegularFile(info, dest);
  // O_NONBLOCK|O_NOFOLLOW: if dest is swapped for a FIFO or symlink after the lstat,
  // open neither blocks nor follows; fstat below then sees what we actually opened.
  const handle = await open(dest, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const opened = await handle.stat();
    assertRegularFile(opened, dest);
    return { symlink: false, content: await handle.readFile(), mode: opened.mode & 0o7777, uid: opened.uid, gid: opened.gid };
  } finally {
    await handle.close();
  }
}

export function changeReasons(current: DestState | undefined, content: Buffer, mode: number, owner: Ownership): ChangeReason[] {
  if (!current) return ['created'];
  if (current.symlink) return ['symlink'];
  const reasons: ChangeReason[] = [];
  if (!current.content.equals(content)) reasons.push('content');
  if (current.mode !== mode) reasons.push('mode');
  if (current.uid !== owner.uid || current.gid !== owner.gid) reasons.push('owner');
  return reasons;
}
