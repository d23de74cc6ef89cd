/**
 * External plugins render confd's integration fixture byte-identical to the built-ins:
 * the TypeScript SDK plugin (found on PATH), and the built-in file and env backends
 * shipped as standalone plugins (bin/plugins/). No plugin process outlives confd render.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CANONICAL_DATA, prepareFixture, readOutputs, type PreparedFixture } from '../test/fixture/prepare.js';
import { REPO_ROOT, runConfd } from '../test/helpers/run-confd.js';
import { newMarker, processesWithMarker } from './helpers/processes.js';

const TS_PLUGIN_DIR = join(REPO_ROOT, 'integration', 'plugins', 'ts');
let fixture: PreparedFixture | undefined;
afterEach(() => fixture?.cleanup());

function expectFixtureRendered(outDir: string): void {
  for (const { name, actual, expected } of readOutputs(outDir)) expect(actual, name).toBe(expected);
}

/** A confd.toml pointing the TS plugin at the canonical data. */
function withMemoryData(f: PreparedFixture, extra = ''): string {
  const dataFile = join(f.root, 'data.json');
  writeFileSync(dataFile, JSON.stringify(CANONICAL_DATA));
  writeFileSync(join(f.confdir, 'confd.toml'), `[backend_config]\ndataFile = "${dataFile}"\n${extra}`);
  return dataFile;
}

describe('rendering through external plugins', () => {
  it('the TypeScript SDK plugin, found on PATH, renders the fixture byte-identical', async () => {
    fixture = prepareFixture();
    withMemoryData(fixture);
    const marker = newMarker();
    const run = await runConfd(['render', '--backend', 'tsmem', '--confdir', fixture.confdir, '--log-level', 'debug'], {
      env: { HOSTNAME: 'localhost', PATH: `${TS_PLUGIN_DIR}:${process.env.PATH}`, CONFD_TEST_MARKER: marker },
    });
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expectFixtureRendered(fixture.outDir);
    // The plugin's hclog line was re-logged under plugin.tsmem, with the draft's Configure keys.
    expect(run.stderr).toMatch(/INFO \[plugin\.tsmem\] configured keys=.*basicAuth.*caCert.*dataFile.*filter.*machines.*nodes.*yamlFile/);
    expect(processesWithMarker(marker)).toEqual([]);
  });

  it('the built-in file backend as a standalone plugin renders the fixture byte-identical', async () => {
    fixture = prepareFixture();
    const marker = newMarker();
    const plugin = join(REPO_ROOT, 'bin', 'plugins', 'confd-database-file');
    const run = await runConfd(['render', '--backend', plugin, ...fixture.fileArgs, '--confdir', fixture.confdir], {
      env: { HOSTNAME: 'localhost', CONFD_TEST_MARKER: marker },
    });
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expectFixtureRendered(fixture.outDir);
    expect(processesWithMarker(marker)).toEqual([]);
  });

  it('the built-in env backend as a standalone plugin, found with --plugin-dir under another name', async () => {
    fixture = prepareFixture();
    const marker = newMarker();
    // A built-in name resolves to the built-in, so expose it under a plugin-only name.
    const { mkdtempSync, symlinkSync } = await import('node:fs');
    const dir = mkdtempSync(join(fixture.root, 'plugins-'));
    symlinkSync(join(REPO_ROOT, 'bin', 'plugins', 'confd-database-env'), join(dir, 'confd-database-envplugin'));
    const run = await runConfd(['render', '--backend', 'envplugin', '--plugin-dir', dir, '--confdir', fixture.confdir], {
      env: { ...fixture.env, CONFD_TEST_MARKER: marker },
      cleanEnv: true,
    });
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expectFixtureRendered(fixture.outDir);
    expect(processesWithMarker(marker)).toEqual([]);
  });
});
