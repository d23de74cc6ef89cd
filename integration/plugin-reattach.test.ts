/**
 * Reattach: confd connects to a plugin that something else runs (`[plugins.<name>]
 * reattach`), with the same services and health check, and never starts or stops it.
 * The SDK serves on a fixed address for this (`--listen`), with the socket 0600.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFD_BIN, runConfd } from '../test/helpers/run-confd.js';
import { freePort } from './servers/server-process.js';
import { cleanupAfterEach, startDaemon, waitFor, type Daemon } from './watch/daemon.js';

const running: ChildProcess[] = [];
let daemon: Daemon | undefined;
cleanupAfterEach(() => ({ daemon }));
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** `confd internal-plugin database file --listen <address>`, run the way a supervisor would. */
async function superviseFilePlugin(address: string): Promise<{ child: ChildProcess; log: () => string }> {
  const child = spawn(process.execPath, [CONFD_BIN, 'internal-plugin', 'database', 'file', '--listen', address], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  await waitFor(() => log.includes('plugin listening for confd to reattach') || !alive(child), 15_000, 'the plugin to listen');
  expect(alive(child)).toBe(true);
  return { child, log: () => log };
}

function workspace(reattach: string) {
  const root = mkdtempSync(join(tmpdir(), 'confd-reattach-'));
  const confdir = join(root, 'confdir');
  for (const dir of [join(confdir, 'conf.d'), join(confdir, 'templates')]) mkdirSync(dir, { recursive: true });
  const data = join(root, 'data.yaml');
  writeFileSync(data, 'app:\n  name: n1\n');
  writeFileSync(join(confdir, 'templates', 'a.tmpl'), 'name={{getv "/app/name"}}\n');
  writeFileSync(join(confdir, 'conf.d', 'a.toml'), `[template]\nsrc = "a.tmpl"\ndest = "${join(root, 'a.conf')}"\nkeys = ["/app"]\n`);
  // `file` names the built-in; reattach says a supervisor runs it instead.
  writeFileSync(join(confdir, 'confd.toml'), `backend = "file"\nfile = ["${data}"]\n[plugins.file]\nreattach = "${reattach}"\n`);
  return {
    root,
    confdir,
    setData: (name: string) => writeFileSync(data, `app:\n  name: ${name}\n`),
    out: () => (existsSync(join(root, 'a.conf')) ? readFileSync(join(root, 'a.conf'), 'utf8') : undefined),
  };
}

describe('reattach', () => {
  it('over a unix socket: the SDK listens 0600, confd renders through it and leaves it running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'confd-sup-'));
    const socket = join(dir, 'file.sock');
    const plugin = await superviseFilePlugin(`unix:${socket}`);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    const ws = workspace(`unix:${socket}`);
    const inspect = await runConfd(['plugins', 'inspect', 'file', '--confdir', ws.confdir]);
    expect(inspect.code).toBe(0);
    expect(inspect.stdout).toContain(`reattach:   unix:${socket} (plaintext; confd neither starts nor stops it)`);
    expect(inspect.stdout).toContain('name:       file');
    const run = await runConfd(['render', '--confdir', ws.confdir]);
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expect(ws.out()).toBe('name=n1\n');
    expect(alive(plugin.child)).toBe(true); // confd never stops a plugin it did not start
    expect(plugin.log()).not.toContain('shutdown requested');
  });

  it('over loopback TCP', async () => {
    const port = await freePort();
    const plugin = await superviseFilePlugin(`tcp:127.0.0.1:${port}`);
    const ws = workspace(`tcp:127.0.0.1:${port}`);
    const run = await runConfd(['render', '--confdir', ws.confdir]);
    expect(run.code).toBe(0);
    expect(ws.out()).toBe('name=n1\n');
    expect(alive(plugin.child)).toBe(true);
  });

  it('to nothing: a clear error naming the address', async () => {
    const socket = join(mkdtempSync(join(tmpdir(), 'confd-sup-')), 'absent.sock');
    const ws = workspace(`unix:${socket}`);
    const run = await runConfd(['render', '--confdir', ws.confdir, '--backend-timeout', '2s']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`plugin file (unix:${socket}): cannot reattach: health check`);
  });

  it('--listen refuses to replace a file that is not a socket', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'confd-sup-')), 'precious');
    writeFileSync(path, 'keep me');
    const run = await runConfd(['internal-plugin', 'database', 'env', '--listen', `unix:${path}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`--listen: ${path} exists and is not a socket; refusing to replace it`);
    expect(readFileSync(path, 'utf8')).toBe('keep me');
  });

  it('confd watch: when the plugin goes away it reconnects with backoff, re-fetches, and never stops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'confd-sup-'));
    const socket = join(dir, 'file.sock');
    const first = await superviseFilePlugin(`unix:${socket}`);
    const ws = workspace(`unix:${socket}`);
    daemon = startDaemon(['--confdir', ws.confdir, '--log-level', 'debug']);
    await waitFor(() => ws.out() === 'name=n1\n', 15_000, 'the first render');
    ws.setData('n2');
    await waitFor(() => ws.out() === 'name=n2\n', 15_000, 'a watched change');

    first.child.kill('SIGKILL');
    await daemon.waitForLog(new RegExp(`plugin file \\(unix:${socket}\\) closed its connection; reconnecting in \\d+ms`), 10_000);
    ws.setData('n3'); // changed while the plugin is down
    const second = await superviseFilePlugin(`unix:${socket}`);
    await waitFor(() => ws.out() === 'name=n3\n', 40_000, 'the change made while it was away');
    ws.setData('n4');
    await waitFor(() => ws.out() === 'name=n4\n', 15_000, 'a change after reconnecting');

    const stopped = await daemon.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(alive(second.child)).toBe(true);
    expect(second.log()).not.toContain('shutdown requested');
  }, 90_000);
});
