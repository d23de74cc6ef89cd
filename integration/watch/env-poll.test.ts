/**
 * A backend that cannot watch (env) is polled every --interval: it renders at start and
 * again at each poll, and a quiet poll writes no line to the log at info.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, sleep, startDaemon, waitFor, workspace, type Daemon, type Workspace } from './daemon.js';

let ws: Workspace | undefined;
let daemon: Daemon | undefined;
cleanupAfterEach(() => ({ daemon, ws }));

function setup(): { ws: Workspace; dest: string } {
  ws = workspace();
  const dest = join(ws.out, 'env.conf');
  ws.template('env.tmpl', 'host={{getv "/app/host"}}\n');
  ws.resource('env', `[template]\nsrc = "env.tmpl"\ndest = "${dest}"\nkeys = ["/app"]\n`);
  return { ws, dest };
}

describe('confd watch --backend env', () => {
  it('renders at start and again at every interval poll', async () => {
    const { ws, dest } = setup();
    daemon = startDaemon(['--confdir', ws.confdir, '--backend', 'env', '--interval', '1', '--log-level', 'debug'], { APP_HOST: 'db.example' });
    await waitFor(() => ws.read(dest) === 'host=db.example\n', 10_000, 'the first render');
    await daemon.waitForLog(/backend env cannot watch; polling every 1s/);
    // Remove dest: the next poll must write it again.
    rmSync(dest);
    await waitFor(() => ws.read(dest) === 'host=db.example\n', 3000, 'the poll to re-create dest');
    await daemon.waitForLog(/render pass reason=interval/, 3000, 2);
    expect(daemon.count(/out of sync: created/)).toBe(2);
  });

  it('--watch=false --interval N is pure polling, and polls are silent at info', async () => {
    const { ws, dest } = setup();
    daemon = startDaemon(['--confdir', ws.confdir, '--backend', 'env', '--watch=false', '--interval', '1'], { APP_HOST: 'h1' });
    await waitFor(() => ws.read(dest) === 'host=h1\n', 10_000, 'the first render');
    await daemon.waitForLog(/polling 1 resource\(s\) on backend env every 1s/);
    await sleep(300);
    const lines = daemon.log().split('\n').length;
    await sleep(2500); // two or three polls with nothing to do
    expect(daemon.log().split('\n').length).toBe(lines);
    expect(daemon.log()).not.toMatch(/watchPrefix|cannot watch/);
    rmSync(dest);
    await waitFor(() => ws.read(dest) === 'host=h1\n', 3000, 'a poll to re-create dest');
    expect((await daemon.stop('SIGINT')).code).toBe(0);
  });
});
