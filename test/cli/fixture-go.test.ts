/**
 * confd's integration confdir with its Go templates, unchanged, rendered by the real CLI:
 * with `template_engine = "go"` in confd.toml, with `--template-engine go` (and confd's
 * classic `-template-engine go`), with CONFD_TEMPLATE_ENGINE=go, and with `engine = "go"`
 * on each resource. Every output must be byte-identical to what confd renders.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXPECTED_GO_OUTPUTS, prepareGoFixture, type GoSelection, type PreparedGoFixture } from '../fixture/prepare-go.js';
import { readOutputs } from '../fixture/prepare.js';
import { runConfd } from '../helpers/run-confd.js';

let fixture: PreparedGoFixture | undefined;
afterEach(() => fixture?.cleanup());

function expectAllOutputsMatch(outDir: string): void {
  for (const { name, actual, expected } of readOutputs(outDir, EXPECTED_GO_OUTPUTS)) {
    expect(actual, `${name} was not written`).toBeDefined();
    expect(actual, name).toBe(expected);
  }
}

describe('confd integration confdir with Go templates', () => {
  for (const selection of ['config-file', 'flag', 'resource'] as GoSelection[]) {
    it(`renders byte-identical with the env backend (engine chosen by ${selection})`, async () => {
      fixture = prepareGoFixture(selection);
      const run = await runConfd(['render', '--backend', 'env', '--confdir', fixture.confdir, ...fixture.engineArgs], { env: fixture.env, cleanEnv: true });
      expect(run.stderr).not.toMatch(/ERROR/);
      expect(run.code).toBe(0);
      expectAllOutputsMatch(fixture.outDir);
    });

    it(`renders byte-identical with the file backend (engine chosen by ${selection})`, async () => {
      fixture = prepareGoFixture(selection);
      const run = await runConfd(['render', '--backend', 'file', ...fixture.fileArgs, '--confdir', fixture.confdir, ...fixture.engineArgs], {
        env: { HOSTNAME: 'localhost' },
      });
      expect(run.stderr).not.toMatch(/ERROR/);
      expect(run.code).toBe(0);
      expectAllOutputsMatch(fixture.outDir);
    });
  }

  it('accepts confd\'s classic invocation with -template-engine go', async () => {
    fixture = prepareGoFixture('flag');
    const run = await runConfd(['-onetime', '-backend', 'env', '-confdir', fixture.confdir, '-template-engine', 'go'], { env: fixture.env, cleanEnv: true });
    expect(run.code).toBe(0);
    expectAllOutputsMatch(fixture.outDir);
  });

  it('takes the engine from CONFD_TEMPLATE_ENGINE', async () => {
    fixture = prepareGoFixture('flag');
    const run = await runConfd(['render', '--backend', 'env', '--confdir', fixture.confdir], { env: { ...fixture.env, CONFD_TEMPLATE_ENGINE: 'go' }, cleanEnv: true });
    expect(run.code).toBe(0);
    expectAllOutputsMatch(fixture.outDir);
    expect(statSync(join(fixture.outDir, 'confd-basic-test.conf')).mode & 0o7777).toBe(0o644);
  });

  it('without the setting, Go templates are Handlebars and fail with a hint, writing nothing', async () => {
    fixture = prepareGoFixture('flag');
    const run = await runConfd(['render', '--backend', 'env', '--confdir', fixture.confdir], { env: fixture.env, cleanEnv: true });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('template_engine = "go"');
    expect(run.stderr).toMatch(/iteration\.conf\.tmpl:\d+/);
    for (const { name, actual } of readOutputs(fixture.outDir, EXPECTED_GO_OUTPUTS)) {
      // basic.conf.tmpl is valid Handlebars too ({{ getv "…" }}); the others must not be written.
      if (!name.includes('basic') && !name.includes('manykeys')) expect(actual, name).toBeUndefined();
    }
  });
});
