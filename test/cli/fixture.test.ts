/**
 * confd's integration fixture, ported to Handlebars, rendered by the real CLI with the
 * env and file backends: every output must be byte-identical to confd's expectations.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { prepareFixture, readOutputs, type PreparedFixture } from '../fixture/prepare.js';
import { runConfd } from '../helpers/run-confd.js';

let fixture: PreparedFixture | undefined;
afterEach(() => fixture?.cleanup());

function expectAllOutputsMatch(outDir: string): void {
  for (const { name, actual, expected } of readOutputs(outDir)) {
    expect(actual, `${name} was not written`).toBeDefined();
    expect(actual, name).toBe(expected);
  }
}

describe('confd integration fixture', () => {
  it('renders byte-identical with the env backend', async () => {
    fixture = prepareFixture();
    const run = await runConfd(['render', '--backend', 'env', '--confdir', fixture.confdir, '--log-level', 'debug'], {
      env: fixture.env,
      cleanEnv: true,
    });
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expectAllOutputsMatch(fixture.outDir);
  });

  it('renders byte-identical with the file backend over two directories', async () => {
    fixture = prepareFixture();
    const run = await runConfd(['render', '--backend', 'file', ...fixture.fileArgs, '--confdir', fixture.confdir], {
      env: { HOSTNAME: 'localhost' },
    });
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expectAllOutputsMatch(fixture.outDir);
  });

  it('accepts confd\'s classic single-dash invocation', async () => {
    fixture = prepareFixture();
    const run = await runConfd(['-onetime', '-backend', 'env', '-confdir', fixture.confdir, '-log-level=debug'], {
      env: fixture.env,
      cleanEnv: true,
    });
    expect(run.code).toBe(0);
    expectAllOutputsMatch(fixture.outDir);
  });

  it('writes each file with mode 0644', async () => {
    fixture = prepareFixture();
    await runConfd(['render', '--backend', 'env', '--confdir', fixture.confdir], { env: fixture.env, cleanEnv: true });
    const { statSync } = await import('node:fs');
    const { join } = await import('node:path');
    expect(statSync(join(fixture.outDir, 'confd-basic-test.conf')).mode & 0o7777).toBe(0o644);
  });
});
