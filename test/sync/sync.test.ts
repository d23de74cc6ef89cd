/** The sync step on real files with real /bin/sh commands. */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync, chownSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatError } from '../../src/errors.js';
import { ReloadError, syncFile } from '../../src/resource/sync/index.js';
import { options, target, workdir } from './helpers.js';
const stageFiles = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.'));
const isRoot = process.geteuid?.() === 0;

/** Alive and not a zombie (an orphan reparented to an init that does not reap stays a zombie). */
function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('syncFile', () => {
  it('creates a missing dest with mode 0644 by default', async () => {
    const dir = workdir();
    const outcome = await syncFile('hello\n', target(join(dir, 'a.conf')), options);
    expect(outcome).toMatchObject({ changed: true, reasons: ['created'] });
    expect(readFileSync(join(dir, 'a.conf'), 'utf8')).toBe('hello\n');
    expect(statSync(join(dir, 'a.conf')).mode & 0o7777).toBe(0o644);
    expect(stageFiles(dir)).toEqual([]);
  });

  it('honours an explicit mode', async () => {
    const dir = workdir();
    await syncFile('x', target(join(dir, 'a.conf'), { mode: 0o600 }), options);
    expect(statSync(join(dir, 'a.conf')).mode & 0o7777).toBe(0o600);
  });

  it('leaves an unchanged file alone: no write, no reload', async () => {
    const dir = workdir();
    const dest = join(dir, 'a.conf');
    const marker = join(dir, 'reloaded');
    await syncFile('same', target(dest), options);
    const before = statSync(dest);
    const outcome = await syncFile('same', target(dest, { reloadCmd: `touch ${marker}` }), options);
    expect(outcome.changed).toBe(false);
    expect(statSync(dest).ino).toBe(before.ino);
    expect(statSync(dest).mtimeMs).toBe(before.mtimeMs);
    expect(existsSync(marker)).toBe(false);
  });

  it('a mode-only change replaces the file and runs reload', async () => {
    const dir = workdir();
    const dest = join(dir, 'a.conf');
    const marker = join(dir, 'reloaded');
    writeFileSync(dest, 'same');
    chmodSync(dest, 0o600);
    const outcome = await syncFile('same', target(dest, { mode: 0o644, reloadCmd: `touch ${marker}` }), options);
    expect(outcome).toMatchObject({ changed: true, reasons: ['mode'], reloaded: true });
    expect(statSync(dest).mode & 0o7777).toBe(0o644);
    expect(existsSync(marker)).toBe(true);
  });

  it.runIf(isRoot)('owner/group by name: an owner-only change replaces and reloads', async () => {
    const dir = workdir();
    const dest = join(dir, 'a.conf');
    const marker = join(dir, 'reloaded');
    writeFileSync(dest, 'same');
    chmodSync(dest, 0o644);
    const outcome = await syncFile('same', target(dest, { owner: 'nobody', group: 'nogroup', reloadCmd: `touch ${marker}` }), options);
    expect(outcome.reasons).toEqual(['owner']);
    const info = statSync(dest);
    expect(info.uid).toBe(65534);
    expect(info.gid).toBe(65534);
    expect(existsSync(marker)).toBe(true);
    chownSync(dest, 0, 0);
  });

  it('an unknown owner is an error naming it', async () => {
    const dir = workdir();
    const error = await syncFile('x', target(join(dir, 'a.conf'), { owner: 'no-such-user-xyz' }), options).catch((e: unknown) => e);
    expect(formatError(error)).toContain('unknown user "no-such-user-xyz"');
    expect(existsSync(join(dir, 'a.conf'))).toBe(false);
  });

  it('a failing check_cmd leaves dest byte-identical, removes the stage file, runs no reload', async () => {
    const dir = workdir();
    const dest = join(dir, 'a.conf');
    const marker = join(dir, 'reloaded');
    writeFileSync(dest, 'old content');
    const before = statSync(dest);
    const error = await syncFile('new content', target(dest, { checkCmd: 'echo "bad config at line 3" >&2; exit 3', reloadCmd: `touch ${marker}` }), options).catch((e: unknown) => e);
    expect(formatError(error)).toContain('exited with code 3: bad config at line 3');
    expect(readFileSync(dest, 'utf8')).toBe('old content');
    expect(statSync(dest).ino).toBe(before.ino);
    expect(stageFiles(dir)).toEqual([]);
    expect(existsSync(marker)).toBe(false);
  });

  it('check_cmd sees {{.src}} = the stage file with the new content', async () => {
    const dir = workdir();
    const seen = join(dir, 'seen');
    await syncFile('new content', target(join(dir, 'a.conf'), { checkCmd: `cp {{ .src }} ${seen}; echo {{.src}} > ${seen}.path` }), options);
    expect(readFileSync(seen, 'utf8')).toBe('new content');
    expect(readFileSync(`${seen}.path`, 'utf8').trim()).toMatch(new RegExp(`^${dir}/\\.a\\.conf\\.[0-9a-f]+$`));
  });

  it('noop writes nothing and shows the diff', async () => {
    const dir = workdir();
    const dest = join(dir, 'a.conf');
    writeFileSync(dest, 'line1\nline2\n');
    let printed = '';
    const outcome = await syncFile('line1\nline2 changed\n', target(dest, { reloadCmd: `touch ${join(dir, 'r')}` }), {
      ...options, noop: true, diff: true, diffOutput: { write: (s: string) => (printed += s) },
    });
    expect(outcome.changed).toBe(true);
    expect(readFileSync(dest, 'utf8')).toBe('line1\nline2\n');
    expect(printed).toContain(`--- ${dest}`);
    expect(printed).toContain('-line2\n+line2 changed');
    expect(printed).not.toContain('\u001b[');
    expect(stageFiles(dir)).toEqual([]);
    expect(existsSync(join(dir, 'r'))).toBe(false);
  });

  it('noop diff with diffRedact shows which settings changed, never their values', async () => {
    const dir = workdir();
    const dest = join(dir, 'a.conf');
    writeFileSync(dest, '[db]\nuser = app\npassword = old-secret\nurl: postgres://app:old-secret@db/app\nold-secret-on-its-own\n');
    let printed = '';
    await syncFile('[db]\nuser = app\npassword = new-secret\nurl: postgres://app:new-secret@db/app\nnew-secret-on-its-own\n', target(dest), {
      ...options, noop: true, diff: true, diffRedact: true, color: true, diffOutput: { write: (s: string) => (printed += s) },
    });
    expect(printed).not.toMatch(/secret/);
    expect(printed).toContain('-password = ***');
    expect(printed).toContain('+password = ***');
    expect(printed).toContain('+url: ***');
    expect(printed).toContain(' user = ***');
    expect(printed).toContain(`--- ${dest}`);
    expect(printed).toContain('\u001b[32m+password = ***');
  });

  it('noop diff is coloured only when asked (a TTY)', async () => {
    const dir = workdir();
    let printed = '';
    await syncFile('x\n', target(join(dir, 'a.conf')), { ...options, noop: true, diff: true, color: true, diffOutput: { write: (s: string) => (printed += s) } });
    expect(printed).toContain('\u001b[32m+x');
  });

  it('sync-only writes but runs no command', async () => {
    const dir = workdir();
    const dest = join(dir, 'a.conf');
    const outcome = await syncFile('x', target(dest, { checkCmd: 'exit 1', reloadCmd: `touch ${join(dir, 'r')}` }), { ...options, syncOnly: true });
    expect(outcome.changed).toBe(true);
    expect(readFileSync(dest, 'utf8')).toBe('x');
    expect(existsSync(join(dir, 'r'))).toBe(false);
  });

  it('keep-stage-file keeps the staged file next to dest', async () => {
    const dir = workdir();
    await syncFile('kept', target(join(dir, 'a.conf')), { ...options, keepStageFile: true });
    const staged = stageFiles(dir);
    expect(staged).toHaveLength(1);
    expect(staged[0]).toMatch(/^\.a\.conf\.[0-9a-f]+$/);
    expect(readFileSync(join(dir, staged[0]), 'utf8')).toBe('kept');
  });

  it('a missing dest directory is an error unless make_directories', async () => {
    const dir = workdir();
    const dest = join(dir, 'sub', 'deeper', 'a.conf');
    const error = await syncFile('x', target(dest), options).catch((e: unknown) => e);
    expect(formatError(error)).toContain('make_directories = true');
    await syncFile('x', target(dest, { makeDirectories: true }), options);
    expect(readFileSync(dest, 'utf8')).toBe('x');
  });

  it('a failing reload_cmd is a ReloadError after dest is written', async () => {
    const dir = workdir();
    const dest = join(dir, 'a.conf');
    const error = await syncFile('x', target(dest, { reloadCmd: 'echo nope; exit 7' }), options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReloadError);
    expect(formatError(error)).toContain('exited with code 7: nope');
    expect(readFileSync(dest, 'utf8')).toBe('x');
  });

  it('reload_cmd gets {{.dest}}', async () => {
    const dir = workdir();
    const dest = join(dir, 'a.conf');
    await syncFile('x', target(dest, { reloadCmd: `echo {{.dest}} > ${join(dir, 'which')}` }), options);
    expect(readFileSync(join(dir, 'which'), 'utf8').trim()).toBe(dest);
  });

  it('a command timeout kills the command and everything it started', async () => {
    const dir = workdir();
    const pidFile = join(dir, 'pid');
    const started = Date.now();
    const error = await syncFile('x', target(join(dir, 'a.conf'), { checkCmd: `sleep 30 & echo $! > ${pidFile}; wait`, checkCmdTimeoutMs: 500 }), options).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(formatError(error)).toContain('timed out after 0.5s');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(join(dir, 'a.conf'))).toBe(false);
  });
});
