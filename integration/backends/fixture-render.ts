/** Renders confd's fixture through the real CLI with a given backend and compares every output. */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { prepareFixture, readOutputs } from '../../test/fixture/prepare.js';
import { CONFD_BIN, runConfd } from '../../test/helpers/run-confd.js';

export async function expectFixtureRenders(args: string[], env: Record<string, string> = {}): Promise<void> {
  const fixture = prepareFixture();
  try {
    const run = await runConfd(['render', '--confdir', fixture.confdir, ...args], { env: { HOSTNAME: 'localhost', ...env } });
    expect(run.stderr, run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    for (const { name, actual, expected } of readOutputs(fixture.outDir)) expect(actual, name).toBe(expected);
  } finally {
    fixture.cleanup();
  }
}

/**
 * A `confd-database-<name>` executable that runs `confd internal-plugin database <name>`,
 * so a built-in is driven as an external plugin (built-in names resolve in-process, so
 * it is named `<name>plugin`).
 */
export function internalPluginExecutable(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'confd-internal-'));
  const path = join(dir, `confd-database-${name}plugin`);
  writeFileSync(path, `#!/bin/sh\nexec "${process.execPath}" "${CONFD_BIN}" internal-plugin database ${name}\n`);
  chmodSync(path, 0o755);
  return path;
}
