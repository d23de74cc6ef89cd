/** No plugin process outlives confd: on success, failure, SIGTERM, SIGINT, and a SIGKILLed host. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CANONICAL_DATA, prepareFixture, type PreparedFixture } from '../test/fixture/prepare.js';
import { CONFD_BIN, REPO_ROOT } from '../test/helpers/run-confd.js';
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
});
