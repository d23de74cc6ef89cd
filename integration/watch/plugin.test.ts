/**
 * The daemon with an external plugin (a TypeScript plugin on the SDK that logs every
 * call it receives): one watch per distinct prefix, re-fetching only the affected
 * group, surviving SIGKILLs of the plugin without losing an update, and never leaving
 * the plugin behind (SIGTERM, or the host SIGKILLed).
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { newMarker, processesWithMarker } from '../helpers/processes.js';
import { COUNTING_PLUGIN } from './counting-plugin.js';
import { cleanupAfterEach, sleep, startDaemon, waitFor, workspace, type Daemon, type Workspace } from './daemon.js';

let plugin: string;
beforeAll(() => {
  plugin = COUNTING_PLUGIN;
});

let ws: Workspace | undefined;
let daemon: Daemon | undefined;
cleanupAfterEach(() => ({ daemon, ws }));

interface PluginSetup {
  ws: Workspace;
  calls: () => string[];
  setData(values: Record<string, string>): void;
  out(name: string): string | undefined;
  args: string[];
}

/** Resources a and b on prefix /app, c on /other; data in a JSON file the plugin reads. */
function setup(): PluginSetup {
  ws = workspace();
  const dataFile = join(ws.data, 'values.json');
  const callLog = join(ws.root, 'calls.log');
  writeFileSync(join(ws.confdir, 'confd.toml'), `[backend_config]\ndataFile = "${dataFile}"\ncallLog = "${callLog}"\n`);
  const setData = (values: Record<string, string>) => {
    // Atomic, so the plugin never reads half a file.
    writeFileSync(`${dataFile}.tmp`, JSON.stringify(values));
    renameSync(`${dataFile}.tmp`, dataFile);
  };
  setData({ '/app/name': 'n1', '/app/port': '80', '/other/x': 'x1' });
  ws.template('a.tmpl', 'name={{getv "/name"}}\n');
  ws.template('b.tmpl', 'port={{getv "/port"}}\n');
  ws.template('c.tmpl', 'x={{getv "/x"}}\n');
  ws.resource('a', `[template]\nprefix = "/app"\nsrc = "a.tmpl"\ndest = "${join(ws.out, 'a.conf')}"\nkeys = ["/name"]\n`);
  ws.resource('b', `[template]\nprefix = "/app"\nsrc = "b.tmpl"\ndest = "${join(ws.out, 'b.conf')}"\nkeys = ["/port"]\n`);
  ws.resource('c', `[template]\nprefix = "/other"\nsrc = "c.tmpl"\ndest = "${join(ws.out, 'c.conf')}"\nkeys = ["/x"]\n`);
  const w = ws;
  return {
    ws,
    setData,
    calls: () => (w.read(callLog) ?? '').split('\n').filter(Boolean),
    out: (name) => w.read(join(w.out, name)),
    args: ['--confdir', ws.confdir, '--backend', plugin, '--log-level', 'debug'],
  };
}

const pidOf = (calls: string[]) => Number(/pid=(\d+)/.exec(calls.filter((c) => c.startsWith('configure')).at(-1) ?? '')?.[1]);

describe('confd watch with an external plugin', () => {
  it('opens one watch per distinct prefix and re-fetches only the group a change touches', async () => {
    const p = setup();
    daemon = startDaemon(p.args);
    await waitFor(() => p.out('a.conf') === 'name=n1\n' && p.out('b.conf') === 'port=80\n' && p.out('c.conf') === 'x=x1\n', 15_000, 'the first render');
    await waitFor(() => p.calls().filter((c) => c.startsWith('watchPrefix')).length >= 2, 5000, 'the watches');
    await sleep(300);
    // a and b share /app: one watch over both their keys; c has its own.
    expect(p.calls().filter((c) => c.startsWith('watchPrefix')).sort()).toEqual(['watchPrefix /app /app/name,/app/port', 'watchPrefix /other /other/x']);

    const aBefore = statSync(join(p.ws.out, 'a.conf')).mtimeMs;
    const getsBefore = p.calls().filter((c) => c.startsWith('getValues')).length;
    p.setData({ '/app/name': 'n1', '/app/port': '80', '/other/x': 'x2' });
    await waitFor(() => p.out('c.conf') === 'x=x2\n', 5000, 'the change under /other');
    const gets = p.calls().filter((c) => c.startsWith('getValues')).slice(getsBefore);
    expect(gets).toEqual(['getValues /other/x']); // only c's keys were fetched
    expect(statSync(join(p.ws.out, 'a.conf')).mtimeMs).toBe(aBefore);

    p.setData({ '/app/name': 'n2', '/app/port': '81', '/other/x': 'x2' });
    await waitFor(() => p.out('a.conf') === 'name=n2\n' && p.out('b.conf') === 'port=81\n', 5000, 'the change under /app');
    expect(p.calls().filter((c) => c.startsWith('getValues')).at(-1)).toBe('getValues /app/name,/app/port');
    expect(p.calls().filter((c) => c.startsWith('watchPrefix'))).toHaveLength(2); // no watch was re-opened
  });

  it('survives 5 SIGKILLs of the plugin, each with a change made while it was down, and loses no update', async () => {
    const p = setup();
    daemon = startDaemon(p.args);
    await waitFor(() => p.out('a.conf') === 'name=n1\n', 15_000, 'the first render');
    for (let round = 1; round <= 5; round++) {
      const pid = pidOf(p.calls());
      expect(pid).toBeGreaterThan(0);
      process.kill(pid, 'SIGKILL');
      p.setData({ '/app/name': `killed${round}`, '/app/port': String(8000 + round), '/other/x': `x${round}` });
      // The fifth crash within a minute makes the plugin "failing": restarted at the 30 s cap.
      const within = round < 5 ? 10_000 : 45_000;
      await waitFor(
        () => p.out('a.conf') === `name=killed${round}\n` && p.out('b.conf') === `port=${8000 + round}\n` && p.out('c.conf') === `x=x${round}\n`,
        within,
        `the values changed during crash ${round}`,
      );
      expect(pidOf(p.calls())).not.toBe(pid);
    }
    // Every restart configured the plugin again and re-opened both watches.
    const calls = p.calls();
    expect(calls.filter((c) => c.startsWith('configure'))).toHaveLength(6);
    expect(calls.filter((c) => c.startsWith('watchPrefix'))).toHaveLength(12);
    expect(daemon.count(/WARNING .*plugin counting .* was killed by SIGKILL; restarting it in/)).toBe(4);
    expect(daemon.count(/ERROR .*plugin counting .* is failing: it crashed 5 times within 60s/)).toBe(1);
    // And the daemon still follows changes.
    p.setData({ '/app/name': 'after', '/app/port': '9', '/other/x': 'y' });
    await waitFor(() => p.out('a.conf') === 'name=after\n', 5000, 'a change after the crashes');
  }, 90_000);

  it('SIGTERM shuts the plugin down and exits 0 within 5 s', async () => {
    const p = setup();
    const marker = newMarker();
    daemon = startDaemon(p.args, { CONFD_TEST_MARKER: marker });
    await waitFor(() => p.out('c.conf') === 'x=x1\n', 15_000, 'the first render');
    expect(processesWithMarker(marker)).toHaveLength(2); // confd and the plugin
    const stopped = await daemon.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(5000);
    await waitFor(() => processesWithMarker(marker).length === 0, 1000, 'no process left');
  });

  it('host SIGKILLed: the plugin exits within 2 s', async () => {
    const p = setup();
    const marker = newMarker();
    daemon = startDaemon(p.args, { CONFD_TEST_MARKER: marker });
    await waitFor(() => p.out('c.conf') === 'x=x1\n', 15_000, 'the first render');
    const pluginPid = pidOf(p.calls());
    expect(processesWithMarker(marker)).toContain(pluginPid);
    daemon.child.kill('SIGKILL');
    const { at } = await daemon.exited;
    await waitFor(() => processesWithMarker(marker).length === 0, 2000, 'the orphaned plugin to exit');
    expect(Date.now() - at).toBeLessThanOrEqual(2100);
    expect(readFileSync(join(p.ws.out, 'c.conf'), 'utf8')).toBe('x=x1\n');
  });
});
