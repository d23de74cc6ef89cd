/**
 * Exec (supervise) mode with real child processes (a small node script): the child
 * starts after the first render, gets the reload signal on a change (or is restarted
 * when none is set), gets SIGHUP/SIGTERM/SIGINT forwarded, its exit code becomes
 * confd's (after the plugin is stopped), a child that ignores its kill signal is killed
 * after --exec-kill-timeout, and nothing is left behind.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newMarker, processesWithMarker } from '../helpers/processes.js';
import { COUNTING_PLUGIN } from '../watch/counting-plugin.js';
import { cleanupAfterEach, startDaemon, waitFor, workspace, type Daemon, type Workspace } from '../watch/daemon.js';

let ws: Workspace | undefined;
let daemon: Daemon | undefined;
cleanupAfterEach(() => ({ daemon, ws }));

/**
 * The child: logs `<pid> start <dest content>` (so dest must exist when it starts), each
 * signal it gets with dest's content then, exits with CHILD_EXIT_CODE when the stop file
 * appears, and optionally leaves a grandchild (`sleep`) in its process group.
 */
const CHILD = `
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
const { CHILD_LOG: log, CHILD_DEST: dest, CHILD_STOP: stop } = process.env;
const write = (line) => appendFileSync(log, process.pid + ' ' + line + '\\n');
const content = () => (existsSync(dest) ? readFileSync(dest, 'utf8').trim() : '<missing>');
write('start ' + content());
for (const signal of ['SIGHUP', 'SIGUSR1']) process.on(signal, () => write('got ' + signal + ' ' + content()));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => {
  write('got ' + signal);
  if (process.env.CHILD_IGNORE_STOP !== '1') process.exit(Number(process.env.CHILD_STOP_CODE ?? 0));
});
if (process.env.CHILD_GRANDCHILD === '1') write('grandchild ' + spawn('sleep', ['1000'], { stdio: 'ignore' }).pid);
setInterval(() => { if (existsSync(stop)) process.exit(Number(process.env.CHILD_EXIT_CODE ?? 0)); }, 25);
`;

interface ExecSetup {
  ws: Workspace;
  data: string;
  log: () => string[];
  /** `<pid> start …` lines. */
  starts: () => string[];
  stopFile: string;
  args: string[];
  env: Record<string, string>;
}

function setup(childEnv: Record<string, string> = {}): ExecSetup {
  ws = workspace();
  const w = ws;
  const data = join(ws.data, 'd.yaml');
  writeFileSync(data, 'k: one\n');
  const dest = join(ws.out, 'app.conf');
  ws.template('app.tmpl', 'k={{getv "/k"}}\n');
  ws.resource('app', `[template]\nsrc = "app.tmpl"\ndest = "${dest}"\nkeys = ["/k"]\n`);
  const script = join(ws.root, 'child.mjs');
  writeFileSync(script, CHILD);
  const logFile = join(ws.root, 'child.log');
  const stopFile = join(ws.root, 'stop');
  const log = () => (w.read(logFile) ?? '').split('\n').filter(Boolean);
  return {
    ws,
    data,
    log,
    starts: () => log().filter((l) => / start /.test(l)),
    stopFile,
    args: ['--confdir', ws.confdir, '--backend', 'file', '--file', data, '--exec', `${process.execPath} ${script}`],
    env: { CHILD_LOG: logFile, CHILD_DEST: dest, CHILD_STOP: stopFile, CONFD_TEST_MARKER: newMarker(), ...childEnv },
  };
}

/** Running, and not a zombie waiting to be reaped. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
const pidOf = (line: string | undefined) => Number(line?.split(' ')[0]);

describe('confd watch --exec', () => {
  it('starts the child after the first render, sends the reload signal on a change, forwards SIGHUP and SIGTERM, and exits with its code', async () => {
    const p = setup({ CHILD_STOP_CODE: '7' });
    daemon = startDaemon([...p.args, '--exec-reload-signal', 'USR1'], p.env);
    await waitFor(() => p.starts().length === 1, 15_000, 'the child to start');
    const pid = pidOf(p.starts()[0]);
    expect(p.starts()[0]).toBe(`${pid} start k=one`); // dest was rendered before the child started

    writeFileSync(p.data, 'k: two\n');
    await waitFor(() => p.log().includes(`${pid} got SIGUSR1 k=two`), 10_000, 'the reload signal, after dest changed');
    await daemon.waitForLog(/exec: a dest changed; sending SIGUSR1 to the child/);

    daemon.child.kill('SIGHUP');
    await waitFor(() => p.log().includes(`${pid} got SIGHUP k=two`), 10_000, 'SIGHUP forwarded');
    await daemon.waitForLog(/reloaded: 1 resource\(s\)/);
    expect(p.starts()).toHaveLength(1); // signalled, never restarted

    const stopped = await daemon.stop('SIGTERM');
    expect(p.log()).toContain(`${pid} got SIGTERM`);
    expect(stopped.code).toBe(7);
    expect(daemon.log()).toMatch(/stopped; exiting with the exec child's code 7/);
    expect(processesWithMarker(p.env.CONFD_TEST_MARKER)).toEqual([]);
  });

  it('restarts the child on a change when no reload signal is set; SIGINT is forwarded', async () => {
    const p = setup();
    daemon = startDaemon(p.args, p.env);
    await waitFor(() => p.starts().length === 1, 15_000, 'the child to start');
    const first = pidOf(p.starts()[0]);
    writeFileSync(p.data, 'k: two\n');
    await waitFor(() => p.starts().length === 2, 10_000, 'the restart');
    const second = pidOf(p.starts()[1]);
    expect(p.starts()[1]).toBe(`${second} start k=two`);
    expect(second).not.toBe(first);
    expect(p.log()).toContain(`${first} got SIGTERM`); // the default kill signal
    expect(alive(first)).toBe(false);

    const stopped = await daemon.stop('SIGINT');
    expect(p.log()).toContain(`${second} got SIGINT`);
    expect(stopped.code).toBe(0);
    expect(processesWithMarker(p.env.CONFD_TEST_MARKER)).toEqual([]);
  });

  it('exits with the code of a child that exits by itself, after stopping the plugin; nothing it started is left', async () => {
    const p = setup({ CHILD_EXIT_CODE: '3', CHILD_GRANDCHILD: '1' });
    const dataFile = join(p.ws.data, 'values.json');
    const callLog = join(p.ws.root, 'calls.log');
    writeFileSync(join(p.ws.confdir, 'confd.toml'), `[backend_config]\ndataFile = "${dataFile}"\ncallLog = "${callLog}"\n`);
    writeFileSync(dataFile, JSON.stringify({ '/k': 'from-plugin' }));
    const args = p.args.map((a, i) => (p.args[i - 1] === '--backend' ? COUNTING_PLUGIN : a)).filter((a, i, all) => a !== '--file' && all[i - 1] !== '--file');
    daemon = startDaemon(args, p.env);
    await waitFor(() => p.log().some((l) => l.includes('grandchild')), 15_000, 'the child and its grandchild');
    expect(p.starts()[0]).toMatch(/ start k=from-plugin$/);
    const grandchild = Number(p.log().find((l) => l.includes('grandchild'))!.split(' ')[2]);
    const plugin = Number(/pid=(\d+)/.exec(readFileSync(callLog, 'utf8'))?.[1]);
    expect(alive(grandchild) && alive(plugin)).toBe(true);

    writeFileSync(p.stopFile, '');
    const exit = await daemon.exited;
    expect(exit.code).toBe(3);
    expect(daemon.log()).toMatch(/exec: the child \(pid \d+\) exited with code 3/);
    expect(alive(plugin)).toBe(false);
    expect(alive(grandchild)).toBe(false);
    expect(processesWithMarker(p.env.CONFD_TEST_MARKER)).toEqual([]);
  });

  it('kills a child that ignores its stop signal after --exec-kill-timeout (exit code 128 + 9)', async () => {
    const p = setup({ CHILD_IGNORE_STOP: '1' });
    daemon = startDaemon([...p.args, '--exec-kill-timeout', '1s'], p.env);
    await waitFor(() => p.starts().length === 1, 15_000, 'the child to start');
    const stopped = await daemon.stop('SIGTERM');
    expect(p.log()).toContain(`${pidOf(p.starts()[0])} got SIGTERM`);
    expect(daemon.log()).toMatch(/did not exit within 1s of SIGTERM; killing it/);
    expect(stopped.code).toBe(137);
    expect(processesWithMarker(p.env.CONFD_TEST_MARKER)).toEqual([]);
  });

  it('refuses an --exec that needs a shell, naming the setting', async () => {
    const p = setup();
    daemon = startDaemon(['--confdir', p.ws.confdir, '--backend', 'file', '--file', p.data, '--exec', 'echo a | cat'], p.env);
    const exit = await daemon.exited;
    expect(exit.code).toBe(1);
    expect(daemon.log()).toMatch(/exec: "echo a \| cat": "\|" needs a shell/);
    expect(existsSync(join(p.ws.out, 'app.conf'))).toBe(false);
  });
});
