/**
 * `confd watch` with the file backend, end to end: a real daemon process, real files,
 * chokidar underneath. Edits, editor-style rename saves and delete + recreate are all
 * picked up; a burst of writes inside the wait window is one render and one reload.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, sleep, startDaemon, waitFor, workspace, type Daemon, type Workspace } from './daemon.js';

let ws: Workspace | undefined;
let daemon: Daemon | undefined;
cleanupAfterEach(() => ({ daemon, ws }));

function setup(extra = ''): { ws: Workspace; dest: string; reloads: string; dataFile: string } {
  ws = workspace();
  const dest = join(ws.out, 'app.conf');
  const reloads = join(ws.out, 'reloads.log');
  const dataFile = join(ws.data, 'app.yaml');
  ws.template('app.tmpl', 'name={{getv "/app/name"}}\n');
  ws.resource('app', `[template]\nsrc = "app.tmpl"\ndest = "${dest}"\nkeys = ["/app"]\nreload_cmd = "echo reloaded >> ${reloads}"\n${extra}`);
  writeFileSync(dataFile, 'app:\n  name: v0\n');
  return { ws, dest, reloads, dataFile };
}

const UPDATED = /Target config .* has been updated/;

describe('confd watch --backend file', () => {
  it('picks up an edit, an atomic rename-save and a delete followed by a recreate', async () => {
    const { ws, dest, dataFile } = setup();
    daemon = startDaemon(['--confdir', ws.confdir, '--backend', 'file', '--file', dataFile, '--log-level', 'debug']);
    await waitFor(() => ws.read(dest) === 'name=v0\n', 10_000, 'the first render');
    await daemon.waitForLog(/watch event for \//); // the watch is established

    writeFileSync(dataFile, 'app:\n  name: edited\n');
    await waitFor(() => ws.read(dest) === 'name=edited\n', 5000, 'the edit');

    // How vim, VS Code and most editors save: write a temp file, rename it over the original.
    const temp = join(ws.data, '.app.yaml.swp');
    writeFileSync(temp, 'app:\n  name: renamed\n');
    renameSync(temp, dataFile);
    await waitFor(() => ws.read(dest) === 'name=renamed\n', 5000, 'the rename-save');

    rmSync(dataFile);
    await sleep(400);
    expect(ws.read(dest)).toBe('name=renamed\n'); // the last good file stays while the data is gone
    writeFileSync(dataFile, 'app:\n  name: recreated\n');
    await waitFor(() => ws.read(dest) === 'name=recreated\n', 5000, 'the recreated file');

    // The outage was logged once when it began and once when it ended (the recovery
    // line follows the pass that wrote dest, so wait for it rather than race it).
    await daemon.waitForLog(/INFO backend file recovered/);
    expect(daemon.count(/ERROR backend file is failing/)).toBe(1);
    expect(daemon.count(/INFO backend file recovered/)).toBe(1);
    const stopped = await daemon.stop('SIGTERM');
    expect(stopped.code).toBe(0);
  });

  it('10 writes within the wait window give exactly 1 render and 1 reload, with the last value', async () => {
    const { ws, dest, reloads, dataFile } = setup('wait = "1s:6s"\n');
    daemon = startDaemon(['--confdir', ws.confdir, '--backend', 'file', '--file', dataFile, '--log-level', 'debug']);
    await waitFor(() => ws.read(dest) === 'name=v0\n', 10_000, 'the first render');
    await waitFor(() => ws.read(reloads) === 'reloaded\n', 5000, 'the first reload');
    // The watch's ready event is debounced too; let its pass finish before the burst.
    await daemon.waitForLog(/render pass done reason=change/, 5000);
    const rendersBefore = daemon.count(UPDATED);
    expect(rendersBefore, daemon.log()).toBe(1);

    for (let i = 1; i <= 10; i++) {
      writeFileSync(dataFile, `app:\n  name: v${i}\n`);
      await sleep(60);
    }
    await waitFor(() => ws.read(dest) === 'name=v10\n', 8000, 'the burst to be rendered');
    await sleep(2500); // long enough for any stray second render
    expect(daemon.count(UPDATED) - rendersBefore, daemon.log()).toBe(1);
    expect(ws.read(reloads), daemon.log()).toBe('reloaded\nreloaded\n');
  });
});
