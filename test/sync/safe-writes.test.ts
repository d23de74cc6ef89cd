/**
 * What sync refuses and what it keeps intact, on real files: a FIFO, socket or
 * directory at dest; a symlink at dest (replaced, never read through); setuid/setgid
 * modes (they must stick, or every pass reloads); a shutdown (AbortSignal) during
 * check_cmd.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatError } from '../../src/errors.js';
import { syncFile } from '../../src/resource/sync/index.js';
import { options, target, workdir } from './helpers.js';
import { requireRoot, rootOrCi } from './root.js';
const dotFiles = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.'));

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

/** A live (not zombie) process in group `pgid`: an orphan that init does not reap stays a zombie. */
function processGroupAlive(pgid: number): boolean {
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
    } catch {
      /* exited meanwhile */
    }
  }
  return false;
}

describe('non-regular dest', () => {
  it('a FIFO at dest is refused at once, never opened, in normal and noop mode', async () => {
    const dir = workdir();
    const dest = join(dir, 'app.conf');
    execFileSync('mkfifo', [dest]);
    const marker = join(dir, 'reloaded');
    for (const mode of [options, { ...options, noop: true, diff: true, diffOutput: { write: () => true } }]) {
      const error = await syncFile('x\n', target(dest, { reloadCmd: `touch ${marker}` }), mode).catch((e: unknown) => e);
      expect(formatError(error)).toContain(`${dest} is a FIFO (named pipe); confd only replaces regular files`);
    }
    expect(lstatSync(dest).isFIFO()).toBe(true);
    expect(existsSync(marker)).toBe(false);
    expect(dotFiles(dir)).toEqual([]);
  });

  it('a socket or a directory at dest is refused with what it is', async () => {
    const dir = workdir();
    const socketDest = join(dir, 'app.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socketDest, resolve));
    try {
      const error = await syncFile('x', target(socketDest), options).catch((e: unknown) => e);
      expect(formatError(error)).toContain(`${socketDest} is a socket; confd only replaces regular files`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const dirDest = join(dir, 'conf.d');
    mkdirSync(dirDest);
    const error = await syncFile('x', target(dirDest), options).catch((e: unknown) => e);
    expect(formatError(error)).toContain(`${dirDest} is a directory; confd only replaces regular files`);
    expect(statSync(dirDest).isDirectory()).toBe(true);
    expect(dotFiles(dir)).toEqual([]);
  });

  it('a character device at dest is refused', async () => {
    const error = await syncFile('x', target('/dev/null'), { ...options, noop: true }).catch((e: unknown) => e);
    expect(formatError(error)).toContain('/dev/null is a character device; confd only replaces regular files');
  });
});

describe('symlink at dest', () => {
  it('is replaced by a regular file; its target is neither read nor written', async () => {
    const dir = workdir();
    const elsewhere = join(dir, 'elsewhere');
    writeFileSync(elsewhere, 'secret elsewhere\n', { mode: 0o600 });
    const dest = join(dir, 'app.conf');
    symlinkSync(elsewhere, dest);

    let printed = '';
    const noop = await syncFile('new\n', target(dest), { ...options, noop: true, diff: true, diffOutput: { write: (s: string) => (printed += s) } });
    expect(noop.reasons).toEqual(['symlink']);
    expect(printed).not.toContain('secret elsewhere');
    expect(readlinkSync(dest)).toBe(elsewhere);

    const outcome = await syncFile('new\n', target(dest), options);
    expect(outcome.reasons).toEqual(['symlink']);
    expect(lstatSync(dest).isFile()).toBe(true);
    expect(statSync(dest).mode & 0o7777).toBe(0o644);
    expect(readFileSync(dest, 'utf8')).toBe('new\n');
    expect(readFileSync(elsewhere, 'utf8')).toBe('secret elsewhere\n');
    expect(statSync(elsewhere).mode & 0o7777).toBe(0o600);
  });
});

describe('setuid and setgid modes', () => {
  it.runIf(rootOrCi)('stick after the chown, so the next pass is in sync and does not reload', async () => {
    requireRoot();
    const dir = workdir();
    const dest = join(dir, 'helper');
    const marker = join(dir, 'reloads');
    const wanted = target(dest, { mode: 0o6755, owner: 'nobody', group: 'nogroup', reloadCmd: `echo >> ${marker}` });
    const first = await syncFile('#!/bin/sh\n', wanted, options);
    expect(first.reasons).toEqual(['created']);
    const info = statSync(dest);
    expect({ mode: (info.mode & 0o7777).toString(8), uid: info.uid, gid: info.gid }).toEqual({ mode: '6755', uid: 65534, gid: 65534 });
    const second = await syncFile('#!/bin/sh\n', wanted, options);
    expect(second).toMatchObject({ changed: false, reasons: [] });
    expect(readFileSync(marker, 'utf8')).toBe('\n');
  });

  it('setgid sticks for a file of our own group (no root needed)', async () => {
    const dir = workdir();
    const dest = join(dir, 'shared.conf');
    await syncFile('x\n', target(dest, { mode: 0o2750 }), options);
    expect((statSync(dest).mode & 0o7777).toString(8)).toBe('2750');
    expect((await syncFile('x\n', target(dest, { mode: 0o2750 }), options)).changed).toBe(false);
  });
});

describe('shutdown during check_cmd', () => {
  it('kills the check command group, removes the stage file and leaves dest alone', async () => {
    const dir = workdir();
    const dest = join(dir, 'app.conf');
    writeFileSync(dest, 'old\n');
    chmodSync(dest, 0o644);
    const pidFile = join(dir, 'check.pid');
    const controller = new AbortController();
    const sync = syncFile('new\n', target(dest, { checkCmd: `echo $$ > ${pidFile}; sleep 30 & wait`, reloadCmd: `touch ${join(dir, 'reloaded')}` }), {
      ...options,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'), 'check_cmd to start');
    const pgid = Number(readFileSync(pidFile, 'utf8'));
    expect(processGroupAlive(pgid)).toBe(true);
    controller.abort();
    const error = await sync;
    expect(formatError(error)).toContain('was stopped because confd is shutting down');
    expect(processGroupAlive(pgid)).toBe(false);
    expect(readFileSync(dest, 'utf8')).toBe('old\n');
    expect(dotFiles(dir)).toEqual([]);
    expect(existsSync(join(dir, 'reloaded'))).toBe(false);
  });

  it('an already-aborted signal writes nothing', async () => {
    const dir = workdir();
    const error = await syncFile('x', target(join(dir, 'a.conf')), { ...options, signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(formatError(error)).toContain('confd is shutting down');
    expect(readdirSync(dir)).toEqual([]);
  });
});
