/**
 * bin/load-bundle.cjs runs the bundles with the V8 code cache recorded at build time
 * (scripts/code-cache.mjs); without it, or with one V8 rejects (another Node, a rebuilt
 * bundle), confd must work the same, only slower to start.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_ARGS, expectExampleRendered } from '../helpers/example.js';
import { REPO_ROOT } from '../helpers/run-confd.js';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'confd-code-cache-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the launchers and bundles (the package's layout), dependencies linked in. */
function install(name: string): string {
  const dir = join(root, name);
  for (const part of ['bin', 'dist/bundle', 'package.json']) cpSync(join(REPO_ROOT, part), join(dir, part), { recursive: true });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

async function renderExample(dir: string): Promise<void> {
  const cwd = join(dir, 'work');
  cpSync(join(REPO_ROOT, 'templates'), join(cwd, 'templates'), { recursive: true });
  const result = await run(process.execPath, [join(dir, 'bin', 'confd'), ...EXAMPLE_ARGS], { cwd, env: { ...process.env, CONFD_SYSTEM_CONFIG: '' } });
  expect(result.stderr).not.toMatch(/ERROR/);
  expectExampleRendered(cwd);
}

describe('the code cache', () => {
  it('is shipped for each bundle and accepted by this Node', () => {
    const { compileBundle } = createRequire(import.meta.url)(join(REPO_ROOT, 'bin', 'load-bundle.cjs')) as {
      compileBundle(name: string): { script: { cachedDataRejected?: boolean } };
    };
    for (const name of ['confd', 'confd-database-file', 'confd-database-env']) {
      expect(readFileSync(join(REPO_ROOT, 'dist', 'bundle', `${name}.cache`)).length).toBeGreaterThan(0);
      expect(compileBundle(name).script.cachedDataRejected, name).toBe(false);
    }
  });

  it('missing: confd still starts and renders', async () => {
    const dir = install('missing');
    unlinkSync(join(dir, 'dist', 'bundle', 'confd.cache'));
    expect((await run(process.execPath, [join(dir, 'bin', 'confd'), '--version'])).stdout).toMatch(/^confd \d+\.\d+\.\d+ \(node v/);
    await renderExample(dir);
  });

  it('rejected by V8 (garbage, as from another Node version): confd still starts and renders', async () => {
    const dir = install('stale');
    writeFileSync(join(dir, 'dist', 'bundle', 'confd.cache'), Buffer.alloc(4096, 7));
    expect((await run(process.execPath, [join(dir, 'bin', 'confd'), '--version'])).stdout).toMatch(/^confd \d+\.\d+\.\d+ \(node v/);
    await renderExample(dir);
  });
});
