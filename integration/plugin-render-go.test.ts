/**
 * confd's Go templates, unchanged, rendered through external plugins byte-identical to
 * confd: the TypeScript SDK plugin found on PATH, and the file backend shipped as a
 * standalone plugin.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPECTED_GO_OUTPUTS, prepareGoFixture } from '../test/fixture/prepare-go.js';
import { CANONICAL_DATA, readOutputs } from '../test/fixture/prepare.js';
import { REPO_ROOT, runConfd } from '../test/helpers/run-confd.js';

describe('Go templates through external plugins', () => {
  it('the TypeScript SDK plugin (tsmem), with template_engine = "go" in confd.toml', async () => {
    const fixture = prepareGoFixture('config-file');
    try {
      const dataFile = join(fixture.root, 'data.json');
      writeFileSync(dataFile, JSON.stringify(CANONICAL_DATA));
      writeFileSync(join(fixture.confdir, 'confd.toml'), `template_engine = "go"\n[backend_config]\ndataFile = "${dataFile}"\n`);
      const run = await runConfd(['render', '--backend', 'tsmem', '--confdir', fixture.confdir], {
        env: { HOSTNAME: 'localhost', PATH: `${join(REPO_ROOT, 'integration', 'plugins', 'ts')}:${process.env.PATH}` },
      });
      expect(run.stderr).not.toMatch(/ERROR/);
      expect(run.code).toBe(0);
      for (const { name, actual, expected } of readOutputs(fixture.outDir, EXPECTED_GO_OUTPUTS)) expect(actual, name).toBe(expected);
    } finally {
      fixture.cleanup();
    }
  });

  it('the file backend as a standalone plugin, with engine = "go" on each resource', async () => {
    const fixture = prepareGoFixture('resource');
    try {
      const run = await runConfd(['render', '--backend', join(REPO_ROOT, 'bin', 'plugins', 'confd-database-file'), ...fixture.fileArgs, '--confdir', fixture.confdir], {
        env: { HOSTNAME: 'localhost' },
      });
      expect(run.stderr).not.toMatch(/ERROR/);
      expect(run.code).toBe(0);
      for (const { name, actual, expected } of readOutputs(fixture.outDir, EXPECTED_GO_OUTPUTS)) expect(actual, name).toBe(expected);
    } finally {
      fixture.cleanup();
    }
  });
});
