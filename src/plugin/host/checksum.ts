/**
 * Checksum pinning (go-plugin's SecureConfig): the plugin file is hashed before it runs
 * and compared with the pinned SHA-256 in constant time. A fresh hash per check (go-plugin
 * reuses one and corrupts later sums).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Throws, with both sums, unless the file at `path` has the pinned SHA-256. */
export async function verifyChecksum(path: string, pinnedHex: string): Promise<void> {
  const actual = await fileSha256(path).catch((error: Error) => {
    throw new Error(`cannot verify its checksum: ${error.message}`);
  });
  const pinned = Buffer.from(pinnedHex.toLowerCase(), 'hex');
  if (pinned.length !== 32 || !timingSafeEqual(Buffer.from(actual, 'hex'), pinned)) {
    throw new Error(`checksum mismatch, refusing to run it: the file's sha256 is ${actual}, but ${pinnedHex.toLowerCase()} is pinned`);
  }
}
