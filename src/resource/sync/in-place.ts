/**
 * Rewrites dest in place, for a dest that cannot be replaced by rename: a bind-mounted
 * single file (EBUSY, as Docker mounts a config file) or one across filesystems (EXDEV).
 *
 * In-place writing is not atomic, so the order is chosen so that a full disk can never
 * lose the old config:
 *
 *   1. grow  — when the new content is longer, append zeros up to its length and fsync:
 *              this claims the space first. On failure (ENOSPC, EFBIG, EDQUOT) the
 *              zeros are cut off again; the old content and mode are intact.
 *   2. fchown then fchmod — mode and owner are right before any new byte lands.
 *   3. overwrite from offset 0, truncate to the new length, fsync.
 *
 * Overwriting blocks that already exist needs no new space on ext4, xfs or tmpfs; on a
 * copy-on-write filesystem (btrfs, zfs) step 3 can still fail (docs/security.md).
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { ConfdError } from '../../errors.js';
import { assertRegularFile } from './compare.js';
import type { Ownership } from './owner.js';
import { formatMode } from './stage-file.js';

const ZERO_CHUNK = Buffer.alloc(64 * 1024);

async function appendZeros(handle: FileHandle, from: number, to: number): Promise<void> {
  for (let offset = from; offset < to; ) {
    const length = Math.min(ZERO_CHUNK.length, to - offset);
    const { bytesWritten } = await handle.write(ZERO_CHUNK, 0, length, offset);
    offset += bytesWritten;
  }
}

async function writeAll(handle: FileHandle, content: Buffer): Promise<void> {
  for (let offset = 0; offset < content.length; ) {
    const { bytesWritten } = await handle.write(content, offset, content.length - offset, offset);
    offset += bytesWritten;
  }
}

export async function writeInPlace(dest: string, content: Buffer, mode: number, owner: Ownership): Promise<void> {
  const handle = await open(dest, constants.O_RDWR | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    assertRegularFile(info, dest);
    const oldSize = info.size;

    if (content.length > oldSize) {
      try {
        await appendZeros(handle, oldSize, content.length);
        await handle.sync();
      } catch (error) {
        await handle.truncate(oldSize).catch(() => {});
        await handle.sync().catch(() => {});
        throw new ConfdError(
          `cannot write ${dest} in place (it cannot be replaced by rename): no room for ${content.length} bytes: ${(error as Error).message}; the old content and mode are intact`,
          { file: dest },
        );
      }
    }

    try {
      await handle.chown(owner.uid, owner.gid);
      await handle.chmod(mode);
    } catch (error) {
      await handle.truncate(oldSize).catch(() => {});
      throw new ConfdError(
        `cannot set owner ${owner.uid}:${owner.gid} and mode ${formatMode(mode)} on ${dest}: ${(error as Error).message}; the old content is intact`,
        { file: dest },
      );
    }

    try {
      await writeAll(handle, content);
      await handle.truncate(content.length);
      await handle.sync();
    } catch (error) {
      throw new ConfdError(`writing ${dest} in place failed part-way: ${(error as Error).message}; ${dest} may hold a mix of old and new content`, { file: dest });
    }
  } finally {
    await handle.close();
  }
}
