/**
 * A full disk, for real: a small tmpfs (root only). A failed stage write removes its
 * stage file, so failures do not pile up and make the next small render fail too; the
 * in-place fallback for a bind-mounted dest claims the space before it overwrites
 * anything, so on ENOSPC the old config and its mode survive.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatError } from '../../src/errors.js';
import { syncFile } from '../../src/resource/sync/index.js';
import { options, target } from './helpers.js';
import { requireRoot, rootOrCi } from './root.js';

const KiB = 1024;
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

/** Mounts a tmpfs of `size` bytes; unmounted after the test. */
function smallDisk(size: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'confd-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  cleanups.push(() => {
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Fills the filesystem at `dir` until a write fails with ENOSPC. */
function fill(dir: string): void {
  const filler = join(dir, 'filler');
  writeFileSync(filler, '');
  const chunk = Buffer.alloc(4 * KiB, 0x66);
  try {
    for (;;) writeFileSync(filler, chunk, { flag: 'a' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
}

const text = (size: number, fill: string) => `${fill.repeat(Math.ceil(size / fill.length)).slice(0, size - 1)}\n`;

describe('a full disk', () => {
  it.runIf(rootOrCi)('failed stage writes leave no stage file behind, so the next render that fits succeeds', async () => {
    requireRoot();
    const disk = smallDisk(256 * KiB);
    const dest = join(disk, 'app.conf');
    writeFileSync(dest, 'old\n');
    chmodSync(dest, 0o640);
    for (let attempt = 0; attempt < 3; attempt++) {
      const error = await syncFile(text(300 * KiB, 'password=hunter2 '), target(dest), options).catch((e: unknown) => e);
      expect(formatError(error)).toMatch(/cannot write the stage file for .*app\.conf: .*ENOSPC.*app\.conf is unchanged/);
      expect(readdirSync(disk)).toEqual(['app.conf']);
      expect(readFileSync(dest, 'utf8')).toBe('old\n');
    }
    // A leftover partial stage file from any attempt would leave no room for this one.
    await syncFile(text(200 * KiB, 'password=hunter2 '), target(dest), options);
    expect(readFileSync(dest, 'utf8')).toHaveLength(200 * KiB);
    await syncFile('small=yes\n', target(dest), options);
    expect(readFileSync(dest, 'utf8')).toBe('small=yes\n');
    expect(statSync(dest).mode & 0o7777).toBe(0o640);
    expect(readdirSync(disk)).toEqual(['app.conf']);
  });

  it.runIf(rootOrCi)('in place (bind-mounted dest): ENOSPC keeps the old content and mode, and says so', async () => {
    requireRoot();
    const disk = smallDisk(128 * KiB);
    const source = join(disk, 'host.conf');
    const old = text(24 * KiB, 'db_password=old-secret ');
    writeFileSync(source, old);
    chmodSync(source, 0o600);
    fill(disk);

    const outside = mkdtempSync(join(tmpdir(), 'confd-bindfull-'));
    const dest = join(outside, 'app.conf');
    writeFileSync(dest, '');
    execFileSync('mount', ['--bind', source, dest]);
    cleanups.push(() => execFileSync('umount', [dest]));
    const marker = join(outside, 'reloaded');

    const bigger = text(48 * KiB, 'db_password=new-secret ');
    const error = await syncFile(bigger, target(dest, { mode: 0o644, reloadCmd: `touch ${marker}` }), options).catch((e: unknown) => e);
    expect(formatError(error)).toMatch(/cannot write .*app\.conf in place .*no room for 49152 bytes: .*ENOSPC.*the old content and mode are intact/);
    expect(readFileSync(dest, 'utf8')).toBe(old);
    expect(statSync(dest).mode & 0o7777).toBe(0o600);
    expect(readdirSync(outside).sort()).toEqual(['app.conf']);

    // With room again, the same render goes through: new content, new mode, reload.
    rmSync(join(disk, 'filler'));
    await syncFile(bigger, target(dest, { mode: 0o644, reloadCmd: `touch ${marker}` }), options);
    expect(readFileSync(source, 'utf8')).toBe(bigger);
    expect(statSync(source).mode & 0o7777).toBe(0o644);
    expect(readdirSync(outside).sort()).toEqual(['app.conf', 'reloaded']);
  });

  it.runIf(rootOrCi)('in place: a shorter config is written and the file truncated to it', async () => {
    requireRoot();
    const dir = mkdtempSync(join(tmpdir(), 'confd-bindshort-'));
    const source = join(dir, 'host.conf');
    const dest = join(dir, 'app.conf');
    writeFileSync(source, text(10 * KiB, 'long line '));
    writeFileSync(dest, '');
    mkdirSync(join(dir, 'sub'));
    execFileSync('mount', ['--bind', source, dest]);
    cleanups.push(() => execFileSync('umount', [dest]));
    await syncFile('short\n', target(dest, { mode: 0o640 }), options);
    expect(readFileSync(source, 'utf8')).toBe('short\n');
    expect(statSync(source).mode & 0o7777).toBe(0o640);
  });
});
