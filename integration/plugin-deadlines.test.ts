/**
 * Every backend call has a deadline (backend_timeout), with real hung processes and a
 * real server that accepts connections but never answers:
 * - `confd render` fails after the deadline with the backend, the call and the timeout
 *   named, kills the plugin, writes nothing and exits;
 * - `confd watch` kills a plugin that stopped answering (a call, or its periodic health
 *   check), restarts it, and renders the next change; with a hung built-in it keeps
 *   retrying and still answers signals.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CANONICAL_DATA, prepareFixture, type PreparedFixture } from '../test/fixture/prepare.js';
import { REPO_ROOT, runConfd } from '../test/helpers/run-confd.js';
import { newMarker, processesWithMarker } from './helpers/processes.js';
import { startSilentServer, type SilentServer } from './helpers/silent-server.js';
import { cleanupAfterEach, startDaemon, waitFor, workspace, type Daemon, type Workspace } from './watch/daemon.js';

const TS_PLUGIN = join(REPO_ROOT, 'integration', 'plugins', 'ts', 'confd-database-tsmem');
let fixture: PreparedFixture | undefined;
let silent: SilentServer | undefined;
let ws: Workspace | undefined;
let daemon: Daemon | undefined;
afterEach(async () => {
  fixture?.cleanup();
  fixture = undefined;
  await silent?.close();
  silent = undefined;
});
cleanupAfterEach(() => ({ daemon, ws }));

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('confd render with a backend that stops answering', () => {
  /** `backendConfig` gets the data file's path (an existing file, for `hangWhile`). */
  async function renderWithPlugin(backendConfig: (dataFile: string) => string) {
    fixture = prepareFixture();
    const dataFile = join(fixture.root, 'data.json');
    writeFileSync(dataFile, JSON.stringify(CANONICAL_DATA));
    writeFileSync(join(fixture.confdir, 'confd.toml'), `backend_timeout = "1s"\n[backend_config]\ndataFile = "${dataFile}"\n${backendConfig(dataFile)}\n`);
    const marker = newMarker();
    const run = await runConfd(['render', '--backend', TS_PLUGIN, '--confdir', fixture.confdir], { env: { HOSTNAME: 'localhost', CONFD_TEST_MARKER: marker } });
    return { ...run, orphans: processesWithMarker(marker), written: existsSync(join(fixture.outDir, 'confd-basic-test.conf')) };
  }

  it('a plugin whose GetValues never answers: fails after the deadline, names plugin, call and timeout, kills it', async () => {
    const run = await renderWithPlugin((dataFile) => `hangWhile = "${dataFile}"`);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`plugin tsmem (${TS_PLUGIN}): GetValues did not answer within 1s (backend_timeout); killed it`);
    expect(run.written).toBe(false);
    expect(run.orphans).toEqual([]);
  });

  it('a plugin whose Configure never answers', async () => {
    const run = await renderWithPlugin(() => 'hangOn = "configure"');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`plugin tsmem (${TS_PLUGIN}): Configure did not answer within 1s (backend_timeout); killed it`);
    expect(run.orphans).toEqual([]);
  });

  for (const backend of ['etcd', 'redis'] as const) {
    it(`built-in ${backend} pointed at a server that accepts connections but never answers`, async () => {
      silent = await startSilentServer();
      fixture = prepareFixture();
      const node = backend === 'etcd' ? `http://127.0.0.1:${silent.port}` : `127.0.0.1:${silent.port}`;
      const run = await runConfd(['render', '--backend', backend, '--node', node, '--backend-timeout', '1s', '--confdir', fixture.confdir]);
      expect(silent.accepted()).toBeGreaterThan(0); // it really connected
      expect(run.signal).toBeNull(); // and exited by itself
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`ERROR backend ${backend}: (Configure|GetValues) did not answer within 1s \\(backend_timeout\\)`));
      expect(existsSync(join(fixture.outDir, 'confd-basic-test.conf'))).toBe(false);
    });
  }
});

describe('confd watch with a plugin that stops answering', () => {
  function setup(extraToml = '') {
    ws = workspace();
    const dataFile = join(ws.data, 'values.json');
    const hangFile = join(ws.root, 'hang');
    const setData = (values: Record<string, string>) => {
      writeFileSync(`${dataFile}.tmp`, JSON.stringify(values));
      renameSync(`${dataFile}.tmp`, dataFile);
    };
    setData({ '/app/name': 'n1' });
    writeFileSync(join(ws.confdir, 'confd.toml'), `backend_timeout = "1s"\n${extraToml}\n[backend_config]\ndataFile = "${dataFile}"\nhangWhile = "${hangFile}"\n`);
    ws.template('a.tmpl', 'name={{getv "/name"}}\n');
    ws.resource('a', `[template]\nprefix = "/app"\nsrc = "a.tmpl"\ndest = "${join(ws.out, 'a.conf')}"\nkeys = ["/name"]\n`);
    const marker = newMarker();
    const w = ws;
    return {
      marker,
      setData,
      hang: () => writeFileSync(hangFile, ''),
      unhang: () => rmSync(hangFile, { force: true }),
      out: () => w.read(join(w.out, 'a.conf')),
      pluginPids: () => processesWithMarker(marker).filter((pid) => pid !== daemon?.child.pid),
      args: ['--confdir', ws.confdir, '--backend', TS_PLUGIN, '--log-level', 'debug'],
    };
  }

  it('a hung GetValues: the plugin is killed and restarted, and the next change renders', async () => {
    const s = setup();
    daemon = startDaemon(s.args, { CONFD_TEST_MARKER: s.marker });
    await waitFor(() => s.out() === 'name=n1\n', 15_000, 'the first render');
    const [first] = s.pluginPids();
    s.hang();
    s.setData({ '/app/name': 'n2' });
    await daemon.waitForLog(new RegExp(`plugin tsmem \\(${TS_PLUGIN}\\): GetValues did not answer within 1s \\(backend_timeout\\); killed it`), 15_000);
    await waitFor(() => !isAlive(first), 5000, 'the hung plugin to be killed');
    await waitFor(() => s.pluginPids().some((pid) => pid !== first), 15_000, 'a restarted plugin');
    expect(s.out()).toBe('name=n1\n'); // nothing was rendered from a hung backend
    s.unhang();
    await waitFor(() => s.out() === 'name=n2\n', 40_000, 'the change made while it hung');
    s.setData({ '/app/name': 'n3' });
    await waitFor(() => s.out() === 'name=n3\n', 10_000, 'the next change');
    await daemon.waitForLog(/backend \S*tsmem recovered after/);
    // The restart came from the deadline (reopen), not from the crash path.
    expect(daemon.count(/was killed by confd .*restarting it in/)).toBe(0);
  }, 90_000);

  it('a plugin that stops answering while idle: the periodic health check kills and restarts it', async () => {
    const s = setup('plugin_health_interval = "300ms"');
    daemon = startDaemon(s.args, { CONFD_TEST_MARKER: s.marker });
    await waitFor(() => s.out() === 'name=n1\n', 15_000, 'the first render');
    const [first] = s.pluginPids();
    process.kill(first, 'SIGSTOP'); // alive, holding its socket, answering nothing
    await daemon.waitForLog(new RegExp(`plugin tsmem \\(${TS_PLUGIN}\\) stopped answering: health check did not answer within 1s; restarting it`), 15_000);
    await waitFor(() => !isAlive(first), 5000, 'the stopped plugin to be killed');
    await waitFor(() => s.pluginPids().some((pid) => pid !== first), 15_000, 'a restarted plugin');
    s.setData({ '/app/name': 'n2' });
    await waitFor(() => s.out() === 'name=n2\n', 15_000, 'a change after the restart');
  }, 60_000);
});

describe('confd watch with a built-in backend that never answers', () => {
  it('records the failure, retries with backoff, and still stops on SIGTERM', async () => {
    silent = await startSilentServer();
    ws = workspace();
    ws.template('a.tmpl', 'x={{getv "/x"}}\n');
    ws.resource('a', `[template]\nsrc = "a.tmpl"\ndest = "${join(ws.out, 'a.conf')}"\nkeys = ["/x"]\n`);
    daemon = startDaemon(['--confdir', ws.confdir, '--backend', 'redis', '--node', `127.0.0.1:${silent.port}`, '--backend-timeout', '500ms']);
    await daemon.waitForLog(/ERROR backend redis is failing; retrying with backoff .*backend redis: Configure did not answer within 500ms \(backend_timeout\)/, 15_000);
    await waitFor(() => silent!.accepted() >= 2, 15_000, 'a retry');
    const stopped = await daemon.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(5000);
  }, 30_000);
});
