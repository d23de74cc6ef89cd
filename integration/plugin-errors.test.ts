/** Every way a plugin can fail gives a clear error naming the plugin and its path; nothing partial is written. */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CANONICAL_DATA, prepareFixture, type PreparedFixture } from '../test/fixture/prepare.js';
import { REPO_ROOT, runConfd } from '../test/helpers/run-confd.js';
import { newMarker, processesWithMarker } from './helpers/processes.js';

const BROKEN = join(REPO_ROOT, 'integration', 'plugins', 'broken');
const TS_PLUGIN = join(REPO_ROOT, 'integration', 'plugins', 'ts', 'confd-database-tsmem');
let fixture: PreparedFixture | undefined;
afterEach(() => fixture?.cleanup());

async function renderWith(backend: string, extraArgs: string[] = [], confdToml = '') {
  fixture = prepareFixture();
  if (confdToml) writeFileSync(join(fixture.confdir, 'confd.toml'), confdToml);
  const marker = newMarker();
  const run = await runConfd(['render', '--backend', backend, '--plugin-dir', BROKEN, '--confdir', fixture.confdir, ...extraArgs], {
    env: { HOSTNAME: 'localhost', CONFD_TEST_MARKER: marker },
  });
  const written = ['confd-basic-test.conf', 'confd-iteration-test.conf'].filter((f) => existsSync(join(fixture!.outDir, f)));
  return { ...run, written, orphans: processesWithMarker(marker) };
}

function memoryConfig(extra: string): string {
  const dataFile = join(fixture!.root, 'data.json');
  writeFileSync(dataFile, JSON.stringify(CANONICAL_DATA));
  return `[backend_config]\ndataFile = "${dataFile}"\n${extra}\n`;
}

describe('plugin errors', () => {
  it('a plugin that prints garbage', async () => {
    const run = await renderWith('garbage');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`plugin garbage (${join(BROKEN, 'confd-database-garbage')}): unrecognized handshake line`);
    expect(run.stderr).toContain('"hello, I am not a plugin"');
    expect(run.written).toEqual([]);
    expect(run.orphans).toEqual([]);
  });

  it('a plugin that never completes the handshake (start timeout)', async () => {
    const started = Date.now();
    const run = await renderWith('sleeper', ['--plugin-start-timeout', '1s']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`plugin sleeper (${join(BROKEN, 'confd-database-sleeper')}): did not print its handshake within 1s`);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.orphans).toEqual([]);
  });

  it('a plugin that exits 3 before the handshake, with its last stderr lines', async () => {
    const run = await renderWith('exit3');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('plugin exit3');
    expect(run.stderr).toContain('exited with code 3 before the handshake; stderr: cannot open /etc/secret.conf: permission denied');
    expect(run.written).toEqual([]);
  });

  it('a plugin that speaks protocol version 2', async () => {
    const run = await renderWith('version2');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('plugin version2');
    expect(run.stderr).toContain('plugin speaks protocol 2, confd speaks 1');
    expect(run.orphans).toEqual([]);
  });

  it('a plugin that offers netrpc', async () => {
    const run = await renderWith('netrpc');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('plugin offers netrpc; confd plugins must serve grpc');
  });

  it('a plugin path that is not executable', async () => {
    const run = await renderWith(join(BROKEN, 'confd-database-noexec'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`plugin ${join(BROKEN, 'confd-database-noexec')} is not an executable file`);
  });

  it('a plugin killed in the middle of a call', async () => {
    fixture = prepareFixture();
    const run = await renderWith(TS_PLUGIN, [], memoryConfig('dieOn = "getValues"'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`plugin tsmem (${TS_PLUGIN}): was killed by SIGKILL during GetValues`);
    expect(run.written).toEqual([]);
    expect(run.orphans).toEqual([]);
  });

  it('a gRPC error returned by the plugin shows the plugin\'s message', async () => {
    fixture = prepareFixture();
    const run = await renderWith(TS_PLUGIN, [], memoryConfig('failWith = "database is locked"'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`plugin tsmem (${TS_PLUGIN}): GetValues failed: database is locked`);
    expect(run.written).toEqual([]);
    expect(run.orphans).toEqual([]);
  });

  it('a Configure error names the plugin', async () => {
    const run = await renderWith(TS_PLUGIN);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`plugin tsmem (${TS_PLUGIN}): Configure failed: dataFile is required`);
  });

  it('an unknown backend names where it looked', async () => {
    const run = await renderWith('nosuchplugin');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no built-in and no confd-database-nosuchplugin executable');
  });

  it('running a plugin by hand prints the go-plugin text and exits 1', () => {
    const env = { ...process.env };
    delete env.CONFD_PLUGIN_MAGIC_COOKIE;
    for (const plugin of [TS_PLUGIN, join(REPO_ROOT, 'bin', 'plugins', 'confd-database-env')]) {
      const result = spawnSync(plugin, [], { env, encoding: 'utf8', timeout: 10_000 });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(
        'This binary is a plugin. These are not meant to be executed directly.\nPlease execute the program that consumes these plugins, which will\nload any plugins automatically\n',
      );
      expect(result.stdout).toBe('');
    }
  });
});
