/**
 * Steps after the rename never cancel the reload, through the real CLI:
 *
 * - a dest directory that confd may write but not read (mode 0300, confd running as an
 *   unprivileged user) makes the directory fsync fail: that is a warning, the reload
 *   still runs, and the next run is rightly "in sync";
 * - stage files a SIGKILLed confd left behind are removed (and logged) by the next run,
 *   and only names matching the exact stage-file pattern.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFD_BIN, REPO_ROOT, runConfd, type ConfdRun } from '../helpers/run-confd.js';
import { requireRoot, rootOrCi } from './root.js';

const NOBODY = 65534;

interface Setup {
  root: string;
  confdir: string;
  out: string;
}

function setup(resource: string, template: string): Setup {
  const root = mkdtempSync(join(tmpdir(), 'confd-after-'));
  chmodSync(root, 0o755);
  const confdir = join(root, 'confdir');
  const out = join(root, 'out');
  mkdirSync(join(confdir, 'conf.d'), { recursive: true });
  mkdirSync(join(confdir, 'templates'), { recursive: true });
  mkdirSync(out);
  writeFileSync(join(confdir, 'conf.d', 'app.toml'), resource.replaceAll('OUT', out).replaceAll('ROOT', root));
  writeFileSync(join(confdir, 'templates', 'app.tmpl'), template);
  return { root, confdir, out };
}

/** The CLI as an unprivileged user (spawn drops to uid/gid `NOBODY`). */
function runConfdAs(uid: number, args: readonly string[], env: Record<string, string>): Promise<ConfdRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CONFD_BIN, ...args], { cwd: '/', uid, gid: uid, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('after the rename', () => {
  it.runIf(rootOrCi)('a directory fsync that is not permitted is a warning; the reload runs once, and the next run is in sync', async () => {
    requireRoot();
    const s = setup('[template]\nsrc = "app.tmpl"\ndest = "OUT/app.conf"\nkeys = ["/app"]\nreload_cmd = "echo reloaded >> ROOT/marks/reloads"\n', 'name={{getv "/app/name"}}\n');
    mkdirSync(join(s.root, 'marks'));
    chownSync(join(s.root, 'marks'), NOBODY, NOBODY);
    chownSync(s.out, NOBODY, NOBODY);
    chmodSync(s.out, 0o300); // write and search, no read: open(dir) for fsync fails
    chmodSync(s.confdir, 0o755);

    const first = await runConfdAs(NOBODY, ['render', '--backend', 'env', '--confdir', s.confdir, '--log-level', 'debug'], { APP_NAME: 'shop' });
    expect(first.stderr).toMatch(/WARNING .*app\.conf was replaced, but its directory could not be fsynced .*EACCES/);
    expect(first.code).toBe(0);
    expect(readFileSync(join(s.root, 'marks', 'reloads'), 'utf8')).toBe('reloaded\n');

    const second = await runConfdAs(NOBODY, ['render', '--backend', 'env', '--confdir', s.confdir, '--log-level', 'debug'], { APP_NAME: 'shop' });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('in sync');
    expect(readFileSync(join(s.root, 'marks', 'reloads'), 'utf8')).toBe('reloaded\n');
    chmodSync(s.out, 0o755);
    expect(readFileSync(join(s.out, 'app.conf'), 'utf8')).toBe('name=shop\n');
  });

  it('stage files left by a SIGKILLed confd are removed and logged by the next run; look-alikes are kept', async () => {
    const s = setup('[template]\nsrc = "app.tmpl"\ndest = "OUT/app.conf"\nkeys = ["/app"]\ncheck_cmd = "echo $$ > ROOT/check.pid; exec sleep 60"\n', 'name={{getv "/app/name"}}\n');
    const env = { APP_NAME: 'shop' };
    const pidFile = join(s.root, 'check.pid');
    const child = spawn(process.execPath, [CONFD_BIN, 'render', '--backend', 'env', '--confdir', s.confdir], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env }, stdio: 'ignore' });
    for (let i = 0; i < 3000 && !(existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n')); i++) await new Promise((r) => setTimeout(r, 10));
    const checkPid = Number(readFileSync(pidFile, 'utf8'));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    process.kill(checkPid, 'SIGKILL'); // its own process group: SIGKILL of confd does not reach it
    const leftover = readdirSync(s.out).filter((n) => /^\.app\.conf\.[0-9a-f]{12}$/.test(n));
    expect(leftover).toHaveLength(1);

    const lookAlikes = ['.app.conf.bak', '.app.conf.0123', '.other.conf.0123456789ab', '.app.conf.0123456789AB', 'app.conf.0123456789ab'];
    for (const name of lookAlikes) writeFileSync(join(s.out, name), 'keep me');
    // The same resource without the slow check_cmd.
    writeFileSync(join(s.confdir, 'conf.d', 'app.toml'), `[template]\nsrc = "app.tmpl"\ndest = "${join(s.out, 'app.conf')}"\nkeys = ["/app"]\n`);

    const run = await runConfd(['render', '--backend', 'env', '--confdir', s.confdir], { env, cleanEnv: true });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`removed stale stage file ${join(s.out, leftover[0])}`);
    expect(readdirSync(s.out).sort()).toEqual([...lookAlikes, 'app.conf'].sort());
    expect(readFileSync(join(s.out, 'app.conf'), 'utf8')).toBe('name=shop\n');
  });
});
