/**
 * Signals: SIGTERM finishes the sync in flight and exits 0 within 5 s with no child
 * left; SIGHUP re-reads conf.d (add, remove, change; a malformed file is reported with
 * file:line and the rest keep being served).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newMarker, processesWithMarker } from '../helpers/processes.js';
import { cleanupAfterEach, sleep, startDaemon, waitFor, workspace, type Daemon, type Workspace } from './daemon.js';

let ws: Workspace | undefined;
let daemon: Daemon | undefined;
cleanupAfterEach(() => ({ daemon, ws }));

describe('SIGTERM', () => {
  it('lets the reload in flight finish, then exits 0 within 5 s leaving no process behind', async () => {
    ws = workspace();
    const dest = join(ws.out, 'slow.conf');
    const done = join(ws.out, 'reload-done');
    const dataFile = join(ws.data, 'd.yaml');
    writeFileSync(dataFile, 'k: one\n');
    ws.template('slow.tmpl', '{{getv "/k"}}\n');
    ws.resource('slow', `[template]\nsrc = "slow.tmpl"\ndest = "${dest}"\nkeys = ["/k"]\nreload_cmd = "sleep 1.5; echo done >> ${done}"\n`);
    const marker = newMarker();
    daemon = startDaemon(['--confdir', ws.confdir, '--backend', 'file', '--file', dataFile, '--log-level', 'debug'], { CONFD_TEST_MARKER: marker });
    await waitFor(() => ws!.read(done) === 'done\n', 10_000, 'the first reload');
    await daemon.waitForLog(/watch event for/);
    writeFileSync(dataFile, 'k: two\n');
    await daemon.waitForLog(/running reload_cmd/, 5000, 2);
    await sleep(200); // the reload (sleep 1.5) is now in flight
    const stopped = await daemon.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(5000);
    expect(ws.read(dest)).toBe('two\n');
    expect(ws.read(done)).toBe('done\ndone\n'); // the in-flight reload was not cut short
    expect(daemon.log()).toMatch(/caught SIGTERM/);
    expect(processesWithMarker(marker)).toEqual([]);
  });
});

describe('SIGTERM with a reload_cmd that will not finish in time', () => {
  it('kills the command\'s process group after --shutdown-timeout and exits 0', async () => {
    ws = workspace();
    const dataFile = join(ws.data, 'd.yaml');
    writeFileSync(dataFile, 'k: one\n');
    ws.template('t.tmpl', '{{getv "/k"}}\n');
    ws.resource('stuck', `[template]\nsrc = "t.tmpl"\ndest = "${join(ws.out, 'stuck.conf')}"\nkeys = ["/k"]\nreload_cmd = "sleep 30"\n`);
    const marker = newMarker();
    daemon = startDaemon(['--confdir', ws.confdir, '--backend', 'file', '--file', dataFile, '--log-level', 'debug', '--shutdown-timeout', '1s'], { CONFD_TEST_MARKER: marker });
    await daemon.waitForLog(/running reload_cmd/, 10_000);
    const stopped = await daemon.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(5000);
    expect(daemon.log()).toMatch(/a check_cmd or reload_cmd is still running after 1s; killing it/);
    // Nothing outlives confd: the reload command's whole process group is gone.
    expect(processesWithMarker(marker)).toEqual([]);
  });
});

describe('SIGHUP', () => {
  it('adds, removes and changes resources without restarting; a malformed one is reported and the others keep being served', async () => {
    ws = workspace();
    const dataFile = join(ws.data, 'd.yaml');
    writeFileSync(dataFile, 'v: 1\n');
    ws.template('t.tmpl', 'v={{getv "/v"}}\n');
    const conf = (dest: string) => `[template]\nsrc = "t.tmpl"\ndest = "${join(ws!.out, dest)}"\nkeys = ["/v"]\n`;
    const a = ws.resource('a', conf('a1.conf'));
    const b = ws.resource('b', conf('b.conf'));
    daemon = startDaemon(['--confdir', ws.confdir, '--backend', 'file', '--file', dataFile, '--log-level', 'debug']);
    const out = (name: string) => ws!.read(join(ws!.out, name));
    await waitFor(() => out('a1.conf') === 'v=1\n' && out('b.conf') === 'v=1\n', 10_000, 'the first render');
    const pid = daemon.child.pid;

    // Add c, remove b, change a's dest.
    ws.resource('c', conf('c.conf'));
    rmSync(b);
    writeFileSync(a, conf('a2.conf'));
    daemon.child.kill('SIGHUP');
    await waitFor(() => out('c.conf') === 'v=1\n' && out('a2.conf') === 'v=1\n', 5000, 'the added and changed resources');
    await daemon.waitForLog(/reloaded: 2 resource\(s\); added 1, removed 1, changed 1, invalid 0/);
    writeFileSync(dataFile, 'v: 2\n');
    await waitFor(() => out('c.conf') === 'v=2\n' && out('a2.conf') === 'v=2\n', 5000, 'the new set to follow a change');
    await sleep(300);
    expect(out('b.conf')).toBe('v=1\n'); // removed: no longer rendered
    expect(out('a1.conf')).toBe('v=1\n'); // a now writes a2.conf

    // Break a (line 3 is not TOML); SIGHUP: reported with file:line, its last good version kept.
    writeFileSync(a, `[template]\nsrc = "t.tmpl"\nthis is not toml\n`);
    daemon.child.kill('SIGHUP');
    await daemon.waitForLog(/reloaded: 2 resource\(s\); added 0, removed 0, changed 0, invalid 1/);
    expect(daemon.log()).toMatch(new RegExp(`ERROR .*${a.replaceAll('/', '\\/')}:3.*still serving its last good version`));
    writeFileSync(dataFile, 'v: 3\n');
    await waitFor(() => out('c.conf') === 'v=3\n' && out('a2.conf') === 'v=3\n', 5000, 'both resources to be served after the bad reload');
    expect(daemon.child.pid).toBe(pid);
    expect(daemon.child.exitCode).toBeNull();
    expect((await daemon.stop('SIGTERM')).code).toBe(0);
  });
});
