/** Shared set-up for the sync tests: a temp dir, a target, default options. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/log/logger.js';
import type { SyncOptions, SyncTarget } from '../../src/resource/sync/index.js';

export function workdir(prefix = 'confd-sync-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function target(dest: string, extra: Partial<SyncTarget> = {}): SyncTarget {
  return { dest, checkCmdTimeoutMs: 30_000, reloadCmdTimeoutMs: 60_000, makeDirectories: false, ...extra };
}

export const options: SyncOptions = { noop: false, diff: false, syncOnly: false, keepStageFile: false, logger: silentLogger };
