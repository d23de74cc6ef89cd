/** Renders confd's integration confdir, Go templates unchanged, through the real CLI with a given backend. */
import { expect } from 'vitest';
import { EXPECTED_GO_OUTPUTS, prepareGoFixture, type GoSelection } from '../../test/fixture/prepare-go.js';
import { readOutputs } from '../../test/fixture/prepare.js';
import { runConfd } from '../../test/helpers/run-confd.js';

/** Every output byte-identical to confd's, with the Go engine chosen each way (confd.toml, flag, per resource). */
export async function expectGoFixtureRenders(args: string[], env: Record<string, string> = {}): Promise<void> {
  for (const selection of ['config-file', 'flag', 'resource'] as GoSelection[]) {
    const fixture = prepareGoFixture(selection);
    try {
      const run = await runConfd(['render', '--confdir', fixture.confdir, ...fixture.engineArgs, ...args], { env: { HOSTNAME: 'localhost', ...env } });
      expect(run.stderr, `${selection}: ${run.stderr}`).not.toMatch(/ERROR/);
      expect(run.code, selection).toBe(0);
      for (const { name, actual, expected } of readOutputs(fixture.outDir, EXPECTED_GO_OUTPUTS)) expect(actual, `${selection}: ${name}`).toBe(expected);
    } finally {
      fixture.cleanup();
    }
  }
}
