/**
 * A dest that is a bind-mounted single file (as Docker mounts a config file) cannot be
 * replaced by rename (EBUSY): sync writes it in place instead. A real bind mount, as root.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log/logger.js';
import { syncFile } from '../../src/resource/sync/index.js';

const isRoot = process.geteuid?.() === 0;

describe.runIf(isRoot)('bind-mounted dest', () => {
  it('is written in place when rename fails with EBUSY, and the reload runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'confd-bind-'));
    const source = join(dir, 'host-file.conf');
    const dest = join(dir, 'mounted.conf');
    writeFileSync(source, 'old\n');
    writeFileSync(dest, 'placeholder\n');
    execFileSync('mount', ['--bind', source, dest]);
    try {
      const marker = join(dir, 'reloaded');
      const outcome = await syncFile('new\n', { dest, mode: 0o644, checkCmdTimeoutMs: 30_000, reloadCmdTimeoutMs: 60_000, makeDirectories: false, reloadCmd: `touch ${marker}` }, {
        noop: false, diff: false, syncOnly: false, keepStageFile: false, logger: silentLogger,
      });
      expect(outcome.changed).toBe(true);
      expect(readFileSync(dest, 'utf8')).toBe('new\n');
      // The host side of the mount sees it: the file was written through, not replaced.
      expect(readFileSync(source, 'utf8')).toBe('new\n');
      expect(readFileSync(marker, 'utf8')).toBe('');
      expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
    } finally {
      execFileSync('umount', [dest]);
    }
  });
});
