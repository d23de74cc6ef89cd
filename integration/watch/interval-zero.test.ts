/**
 * `--interval 0` (docs/watch.md): watch mode runs no periodic pass — watch events still
 * render; with --watch=false (classic `confd -interval 0`) only the start-up pass runs,
 * confd says so, and it still runs until stopped.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, startDaemon, waitFor, workspace, type Daemon, type Workspace } from './daemon.js';

let ws: Workspace | undefined;
let daemon: Daemon | undefined;
cleanupAfterEach(() => ({ daemon, ws }));

function setup(): { ws: Workspace; dest: string; dataFile: string } {
  ws = workspace();
  const dest = join(ws.out, 'app.conf');
  const dataFile = join(ws.data, 'app.yaml');
  ws.template('app.tmpl', 'name={{getv "/app/name"}}\n');
  ws.resource('app', `[template]\nsrc = "app.tmpl"\ndest = "${dest}"\nkeys = ["/app"]\n`);
  writeFileSync(dataFile, 'app:\n  name: v0\n');
  return { ws, dest, dataFile };
}

describe('confd watch --interval 0', () => {
  it('watches and renders changes, with no periodic full pass', async () => {
    const { ws, dest, dataFile } = setup();
    daemon = startDaemon(['--confdir', ws.confdir, '--backend', 'file', '--file', dataFile, '--interval', '0', '--log-level', 'debug']);
    await daemon.waitForLog(/watching 1 resource\(s\) on backend file: 1 watch\(es\), full resync every never/);
    await waitFor(() => ws.read(dest) === 'name=v0\n', 10_000, 'the first render');
    await daemon.waitForLog(/watch event for \//);

    writeFileSync(dataFile, 'app:\n  name: changed\n');
    await waitFor(() => ws.read(dest) === 'name=changed\n', 5000, 'the change');
    await daemon.waitForLog(/render pass reason=change/);
    // An interval of 0 read as "every 0 s" would have run many passes by now.
    expect(daemon.count(/render pass reason=interval/)).toBe(0);
    expect((await daemon.stop()).code).toBe(0);
  });

  it('with --watch=false (classic `confd -interval 0`): the start-up pass only, and a warning', async () => {
    const { ws, dest, dataFile } = setup();
    daemon = startDaemon(['--watch=false', '--confdir', ws.confdir, '--backend', 'file', '--file', dataFile, '--interval', '0']);
    await waitFor(() => ws.read(dest) === 'name=v0\n', 10_000, 'the first render');
    await daemon.waitForLog(/polling 1 resource\(s\) on backend file every never/);
    await daemon.waitForLog(/WARNING interval is 0 and watch is off: nothing will be rendered after the first pass/);
    await daemon.waitForLog(/Target config .* has been updated/);
    // Nothing is left to hold the event loop, yet the daemon keeps running until stopped.
    expect(daemon.child.exitCode).toBeNull();
    expect((await daemon.stop()).code).toBe(0);
    expect(daemon.log()).toContain('caught SIGTERM; finishing the sync in flight and stopping');
  });
});
