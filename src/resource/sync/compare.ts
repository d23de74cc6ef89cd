/** What differs between dest on disk and the desired file: content, mode, owner. */
import { readFile, stat } from 'node:fs/promises';
import type { Ownership } from './owner.js';

export type ChangeReason = 'created' | 'content' | 'mode' | 'owner';

export interface DestState {
  content: Buffer;
  mode: number;
  uid: number;
  gid: number;
}

export async function readDest(dest: string): Promise<DestState | undefined> {
  try {
    const info = await stat(dest);
    return { content: await readFile(dest), mode: info.mode & 0o7777, uid: info.uid, gid: info.gid };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function changeReasons(current: DestState | undefined, content: Buffer, mode: number, owner: Ownership): ChangeReason[] {
  if (!current) return ['created'];
  const reasons: ChangeReason[] = [];
  if (!current.content.equals(content)) reasons.push('content');
  if (current.mode !== mode) reasons.push('mode');
  if (current.uid !== owner.uid || current.gid !== owner.gid) reasons.push('owner');
  return reasons;
}
