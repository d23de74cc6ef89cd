/**
 * `confd watch` stopped while its plugin is still starting: the plugin is killed at
 * once (not after the start timeout), confd exits 0 without announcing a watch, and no
 * process is left behind.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/helpers/run-confd.js';
import { newMarker, processesWithMarker, waitFor } from '../helpers/processes.js';
import { cleanupAfterEach, startDaemon, workspace, type Daemon, type Workspace } from './daemon.js';

let ws: Workspace | undefined;
let daemon: Daemon | undefined;
cleanupAfterEach(() => ({ daemon, ws }));

describe('confd watch stopped during plugin start-up', () => {
  it('kills the starting plugin and exits 0 at once', async () => {
    ws = workspace();
    ws.template('t.tmpl', '{{getv "/k"}}\n');
    ws.resource('r', `[template]\nsrc = "t.tmpl"\ndest = "${join(ws.out, 'r.conf')}"\nkeys = ["/k"]\n`);
    const marker = newMarker();
    // The sleeper never prints a handshake; the start timeout (60 s) is far away.
    daemon = startDaemon(['--confdir', ws.confdir, '--backend', 'sleeper', '--plugin-dir', join(REPO_ROOT, 'integration', 'plugins', 'broken'), '--log-level', 'debug'], {
      CONFD_TEST_MARKER: marker,
    });
    // confd, the plugin's shell and its sleep.
    expect(await waitFor(() => processesWithMarker(marker).length >= 3, 15_000)).toBe(true);
    const stopped = await daemon.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);
    expect(daemon.log()).not.toMatch(/watching \d+ resource/);
    expect(await waitFor(() => processesWithMarker(marker).length === 0, 5000)).toBe(true);
  });
});
