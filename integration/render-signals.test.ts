/**
 * `confd render` interrupted by SIGTERM/SIGINT in the middle of a check_cmd: the
 * command's process group is killed, the stage file removed, dest left untouched, and
 * confd exits 1 at once. (Plugins interrupted the same way: plugin-orphans.test.ts.)
 */
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFD_BIN } from '../test/helpers/run-confd.js';
import { newMarker, processesWithMarker, waitFor } from './helpers/processes.js';
import { workspace, type Workspace } from './watch/daemon.js';

let ws: Workspace | undefined;
afterEach(() => ws?.cleanup());

describe.each(['SIGTERM', 'SIGINT'] as const)('confd render and %s during check_cmd', (signal) => {
  it('kills the check, removes the stage file, keeps dest and exits 1', async () => {
    ws = workspace();
    const dest = join(ws.out, 'app.conf');
    const started = join(ws.out, 'check-started');
    writeFileSync(dest, 'old\n');
    ws.template('t.tmpl', 'new={{getv "/app/name"}}\n');
    ws.resource('app', `[template]\nsrc = "t.tmpl"\ndest = "${dest}"\nkeys = ["/app"]\ncheck_cmd = "touch ${started}; sleep 30"\n`);
    const marker = newMarker();
    const child = spawn(process.execPath, [CONFD_BIN, 'render', '--confdir', ws.confdir, '--backend', 'env'], {
      env: { ...process.env, APP_NAME: 'x', CONFD_TEST_MARKER: marker },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    expect(await waitFor(() => readdirSync(ws!.out).includes('check-started'), 15_000), stderr).toBe(true);
    expect(readdirSync(ws.out).filter((f) => f.startsWith('.app.conf.'))).toHaveLength(1); // the stage file under check
    child.kill(signal);
    expect(await exited).toBe(1);
    expect(stderr).toMatch(new RegExp(`caught ${signal}; stopping`));
    expect(readdirSync(ws.out).sort()).toEqual(['app.conf', 'check-started']);
    expect(ws.read(dest)).toBe('old\n');
    expect(await waitFor(() => processesWithMarker(marker).length === 0, 5000)).toBe(true);
  });
});
