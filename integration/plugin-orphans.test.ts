/**
 * No plugin process outlives confd: on success, failure, SIGTERM, SIGINT (also while the
 * plugin is still starting), and a SIGKILLed host — whose socket directory the next
 * confd removes.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CANONICAL_DATA, prepareFixture, type PreparedFixture } from '../test/fixture/prepare.js';
import { CONFD_BIN, REPO_ROOT, runConfd } from '../test/helpers/run-confd.js';
import { newMarker, processesWithMarker, waitFor } from './helpers/processes.js';

const TS_PLUGIN = join(REPO_ROOT, 'integration', 'plugins', 'ts', 'confd-database-tsmem');
let fixture: PreparedFixture | undefined;
afterEach(() => fixture?.cleanup());

/** Starts `confd render` against a plugin whose GetValues takes 20 s, and waits until the plugin runs. */
async function startSlowRender(marker: string) {
  fixture = prepareFixture();
  const dataFile = join(fixture.root, 'data.json');
  writeFileSync(dataFile, JSON.stringify(CANONICAL_DATA));
  writeFileSync(join(fixture.confdir, 'confd.toml'), `[backend_config]\ndataFile = "${dataFile}"\nslowMs = "20000"\n`);
  const child = spawn(process.execPath, [CONFD_BIN, 'render', '--backend', TS_PLUGIN, '--confdir', fixture.confdir], {
    env: { ...process.env, CONFD_TEST_MARKER: marker },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  // confd itself and the plugin: both carry the marker.
  expect(await waitFor(() => processesWithMarker(marker).length >= 2, 15_000)).toBe(true);
  await new Promise((r) => setTimeout(r, 300)); // let confd reach GetValues
  return { child, exited, stderr: () => stderr };
}

describe('no plugin outlives confd', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`render interrupted by ${signal}: the plugin is shut down`, async () => {
      const marker = newMarker();
      const { child, exited } = await startSlowRender(marker);
      child.kill(signal);
      const status = await exited;
      expect(status.code).toBe(1);
      expect(await waitFor(() => processesWithMarker(marker).length === 0, 3000)).toBe(true);
    });
  }

  it('render interrupted by SIGTERM while the plugin is still starting: the plugin is killed', async () => {
    fixture = prepareFixture();
    const marker = newMarker();
    // The sleeper never prints a handshake; the start timeout (60 s) is far away.
    const child = spawn(process.execPath, [CONFD_BIN, 'render', '--backend', 'sleeper', '--plugin-dir', join(REPO_ROOT, 'integration', 'plugins', 'broken'), '--confdir', fixture.confdir], {
      env: { ...process.env, CONFD_TEST_MARKER: marker },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // confd, the plugin's shell and its sleep.
    expect(await waitFor(() => processesWithMarker(marker).length >= 3, 15_000)).toBe(true);
    const sentAt = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(1);
    expect(Date.now() - sentAt).toBeLessThan(5000);
    expect(await waitFor(() => processesWithMarker(marker).length === 0, 3000)).toBe(true);
    expect(stderr).toContain('caught SIGTERM; stopping');
  });

  it('host SIGKILLed: the next confd removes its plugin socket directory', async () => {
    const marker = newMarker();
    const { child, exited } = await startSlowRender(marker);
    const [pluginPid] = processesWithMarker(marker).filter((pid) => pid !== child.pid);
    const env = readFileSync(`/proc/${pluginPid}/environ`, 'latin1').split('\0');
    const socketDir = dirname(env.find((e) => e.startsWith('PLUGIN_UNIX_SOCKET_DIR='))!.slice('PLUGIN_UNIX_SOCKET_DIR='.length));
    expect(readFileSync(join(socketDir, 'owner'), 'utf8')).toMatch(new RegExp(`^${child.pid} \\d+\n$`));
    child.kill('SIGKILL');
    await exited;
    expect(await waitFor(() => processesWithMarker(marker).length === 0, 3000)).toBe(true);
    expect(existsSync(socketDir)).toBe(true); // nobody was left to remove it

    const next = await runConfd(['plugins', 'inspect', TS_PLUGIN]);
    expect(next.code).toBe(0);
    expect(existsSync(socketDir)).toBe(false);
    expect(next.stderr).toContain(`removed stale plugin socket directory ${socketDir} (its confd process ${child.pid} is gone)`);
  });

  it('host SIGKILLed: the plugin exits by itself within 2 s', async () => {
    const marker = newMarker();
    const { child, exited } = await startSlowRender(marker);
    const pids = processesWithMarker(marker).filter((pid) => pid !== child.pid);
    expect(pids.length).toBe(1);
    child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    expect(await waitFor(() => processesWithMarker(marker).length === 0, 2000, 25)).toBe(true);
    expect(Date.now() - killedAt).toBeLessThanOrEqual(2100);
  });
  // render starts the default backend's plugin while conf.d loads (src/cli/commands/render.ts).
  for (const [what, setup, code] of [
    ['a resource file is invalid', (confdir: string) => writeFileSync(join(confdir, 'conf.d', 'zz-broken.toml'), '[template\n'), 1],
    [
      'conf.d holds no resource',
      (confdir: string) => {
        rmSync(join(confdir, 'conf.d'), { recursive: true, force: true });
        mkdirSync(join(confdir, 'conf.d'));
      },
      0,
    ],
  ] as const) {
    it(`render stops the plugin it started while loading when ${what}`, async () => {
      fixture = prepareFixture();
      const marker = newMarker();
      const dataFile = join(fixture.root, 'data.json');
      writeFileSync(dataFile, JSON.stringify(CANONICAL_DATA));
      setup(fixture.confdir);
      const plugin = join(REPO_ROOT, 'bin', 'plugins', 'confd-database-file');
      const run = await runConfd(['render', '--backend', plugin, '--file', dataFile, '--confdir', fixture.confdir], { env: { CONFD_TEST_MARKER: marker } });
      expect(run.code, run.stderr).toBe(code);
      expect(await waitFor(() => processesWithMarker(marker).length === 0, 3000)).toBe(true);
    });
  }
});
