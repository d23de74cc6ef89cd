/**
 * Cross-language, both directions, against Debian's go-plugin 1.0.1:
 * - a Go plugin under our host renders the fixture byte-identical;
 * - a Go host drives `confd internal-plugin database env`, the standalone file plugin
 *   and a TypeScript SDK plugin: Configure, GetValues and a WatchPrefix event.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CANONICAL_DATA, prepareFixture, readOutputs, type PreparedFixture } from '../test/fixture/prepare.js';
import { CONFD_BIN, REPO_ROOT, runConfd } from '../test/helpers/run-confd.js';
import { buildGoBinaries, GO_INSTALL_HINT, goToolchainAvailable, runGoHost, type GoBinaries } from './helpers/go-build.js';
import { newMarker, processesWithMarker } from './helpers/processes.js';
import { requireTool } from './helpers/require-tool.js';

const haveGo = requireTool(goToolchainAvailable(), 'the Go toolchain with go-plugin 1.0.1', GO_INSTALL_HINT);
let go: GoBinaries;
let fixture: PreparedFixture | undefined;

beforeAll(() => {
  if (haveGo) go = buildGoBinaries();
}, 300_000);
afterEach(() => fixture?.cleanup());

/** Runs the Go host; `whenWatching` runs once it prints WATCHING (to make a change). */
const goHost = (args: string[], pluginCommand: string[], env: Record<string, string> = {}, whenWatching?: () => void) => runGoHost(go.host, args, pluginCommand, env, whenWatching);

describe.runIf(haveGo)('Go plugin under the confd host', () => {
  it('renders the fixture byte-identical (found on PATH)', async () => {
    fixture = prepareFixture();
    const binDir = mkdtempSync(join(fixture.root, 'bin-'));
    copyFileSync(go.plugin, join(binDir, 'confd-database-gotest'));
    const { chmodSync } = await import('node:fs');
    chmodSync(join(binDir, 'confd-database-gotest'), 0o755);
    const dataFile = join(fixture.root, 'data.json');
    writeFileSync(dataFile, JSON.stringify(CANONICAL_DATA));
    writeFileSync(join(fixture.confdir, 'confd.toml'), `backend = "gotest"\n[backend_config]\ndataFile = "${dataFile}"\n`);
    const marker = newMarker();
    const run = await runConfd(['render', '--confdir', fixture.confdir], {
      env: { HOSTNAME: 'localhost', PATH: `${binDir}:${process.env.PATH}`, CONFD_TEST_MARKER: marker },
    });
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    for (const { name, actual, expected } of readOutputs(fixture.outDir)) expect(actual, name).toBe(expected);
    expect(processesWithMarker(marker)).toEqual([]);
  });

  it('a plugin with the pre-1.0 go-plugin handshake (the confd plugin draft\'s) renders the fixture', async () => {
    // Field 6 is base64 JSON of its stdio config, not a certificate: go-plugin's host ignores ≤ 50 characters.
    fixture = prepareFixture();
    const dataFile = join(fixture.root, 'data.json');
    writeFileSync(dataFile, JSON.stringify(CANONICAL_DATA));
    writeFileSync(join(fixture.confdir, 'confd.toml'), `[backend_config]\ndataFile = "${dataFile}"\n`);
    const env = { HOSTNAME: 'localhost', CONFD_GOTEST_LEGACY_HANDSHAKE: '1' };
    const inspect = await runConfd(['plugins', 'inspect', go.plugin], { env });
    expect(inspect.stdout).toMatch(/handshake: {2}1\|1\|unix\|\/\S+\|grpc\|eyJzdGRvdXRfYWRkciI6IiIsInN0ZGVycl9hZGRyIjoiIn0K\n/);
    expect(inspect.stdout).toContain('mtls:       no');
    const run = await runConfd(['render', '--backend', go.plugin, '--confdir', fixture.confdir], { env });
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    for (const { name, actual, expected } of readOutputs(fixture.outDir)) expect(actual, name).toBe(expected);
    // …unless confd requires mTLS: such a plugin cannot do it.
    const strict = await runConfd(['render', '--backend', go.plugin, '--confdir', fixture.confdir, '--plugin-require-mtls'], { env });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(`plugin gotest (${go.plugin}): did not answer AutoMTLS with a certificate, and plugin_require_mtls is set`);
  });

  it('is shown by confd plugins inspect', async () => {
    const run = await runConfd(['plugins', 'inspect', go.plugin]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/handshake: {2}1\|1\|unix\|\/\S+\|grpc\|/);
    expect(run.stdout).toContain('(no info service)');
  });
});

describe.runIf(haveGo)('a Go go-plugin host driving our plugins', () => {
  it('drives `confd internal-plugin database env`: Configure, GetValues, WatchPrefix (unsupported)', async () => {
    const result = await goHost(['-keys', '/database', '-watch', '/database'], [process.execPath, CONFD_BIN, 'internal-plugin', 'database', 'env'], {
      DATABASE_HOST: '127.0.0.1',
      DATABASE_PORT: '3306',
    });
    expect(result.stderr).not.toContain('panic');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.lines[0].replace(/^VALUES /, ''))).toEqual({ '/database/host': '127.0.0.1', '/database/port': '3306' });
    expect(result.lines.slice(1)).toEqual(['WATCHING', 'WATCH UNIMPLEMENTED']);
  });

  it('drives the standalone file plugin and receives a WatchPrefix event', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'confd-gohost-'));
    const data = join(dir, 'data.yaml');
    writeFileSync(data, 'app:\n  port: 8080\nother: x\n');
    const result = await goHost(
      ['-config', JSON.stringify({ yamlFile: data }), '-keys', '/app', '-watch', '/app'],
      [join(REPO_ROOT, 'bin', 'plugins', 'confd-database-file')],
      {},
      () => writeFileSync(data, 'app:\n  port: 9090\nother: x\n'),
    );
    expect(result.code).toBe(0);
    expect(result.lines).toEqual(['VALUES {"/app/port":"8080"}', 'WATCHING', 'EVENT']);
  });

  it('drives a TypeScript SDK plugin and receives a WatchPrefix event', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'confd-gohost-'));
    const data = join(dir, 'data.json');
    writeFileSync(data, JSON.stringify({ '/k/a': '1' }));
    const result = await goHost(
      ['-config', JSON.stringify({ dataFile: data }), '-keys', '/k', '-watch', '/k'],
      [join(REPO_ROOT, 'integration', 'plugins', 'ts', 'confd-database-tsmem')],
      {},
      () => writeFileSync(data, JSON.stringify({ '/k/a': '2' })),
    );
    expect(result.code).toBe(0);
    expect(result.lines).toEqual(['VALUES {"/k/a":"1"}', 'WATCHING', 'EVENT']);
  });
});
