/**
 * The npm package as users get it: `npm pack` in a clean copy of the repository (no
 * dist/: the prepack script builds it), `npm install -g --prefix <tmp> <tarball>`,
 * then the installed `confd` renders the bundled example. The tarball must hold the
 * licence, the types and the built CLI, and no tests or test harness.
 * Dependencies come from the npm registry (the local cache first).
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../src/plugin/protocol/constants.js';
import { EXAMPLE_ARGS, expectExampleRendered } from '../test/helpers/example.js';
import { REPO_ROOT } from '../test/helpers/run-confd.js';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'confd-package-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The repository as a fresh clone has it (tracked and new, unignored files), with the dev dependencies linked in. */
async function cleanCopy(): Promise<string> {
  const copy = join(root, 'clone');
  const { stdout } = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: REPO_ROOT, maxBuffer: 16 << 20 });
  for (const file of stdout.split('\0').filter(Boolean)) {
    if (!existsSync(join(REPO_ROOT, file))) continue; // deleted in the work tree, not yet committed
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(REPO_ROOT, file), join(copy, file));
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

interface PackResult {
  filename: string;
  files: Array<{ path: string }>;
}

describe('the npm package', () => {
  let tarball: string;
  let files: string[];

  it('packs from a clean clone: prepack builds dist/; no tests or harness inside', async () => {
    const copy = await cleanCopy();
    expect(existsSync(join(copy, 'dist'))).toBe(false);
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', root], { cwd: copy, maxBuffer: 16 << 20 });
    const [pack] = JSON.parse(stdout.slice(stdout.indexOf('['))) as PackResult[];
    tarball = join(root, pack.filename);
    files = pack.files.map((f) => f.path);
    for (const wanted of ['LICENSE', 'README.md', 'bin/confd', 'bin/load-bundle.cjs', 'bin/package.json', 'dist/bundle/confd.cjs', 'dist/bundle/confd.cache', 'dist/bundle/confd-database-file.cjs', 'dist/bundle/confd-database-file.cache', 'dist/bundle/parse-worker.js', 'dist/src/index.d.ts', 'dist/src/plugin/serve/index.d.ts', 'dist/builtin/bins/env.js', 'templates/values.yaml']) {
      expect(files).toContain(wanted);
    }
    expect(files.filter((path) => /(^|\/)(test|integration|bench)\/|\.test\.|vitest/.test(path))).toEqual([]);
  }, 300_000);

  it('installs with npm install -g --prefix and renders the bundled example from the installed confd', async () => {
    expect(tarball, 'the pack step failed').toBeDefined();
    const prefix = join(root, 'prefix');
    await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], { maxBuffer: 16 << 20 });
    const confd = join(prefix, 'bin', 'confd');

    const version = await run(confd, ['version']);
    expect(version.stdout).toMatch(/^confd \d+\.\d+\.\d+ \(node v/);

    const cwd = join(root, 'work');
    cpSync(join(prefix, 'lib', 'node_modules', 'confd', 'templates'), join(cwd, 'templates'), { recursive: true });
    const render = await run(confd, EXAMPLE_ARGS, { cwd, env: { PATH: process.env.PATH, CONFD_SYSTEM_CONFIG: '' } });
    expect(render.stderr).not.toMatch(/ERROR/);
    expectExampleRendered(cwd);

    // The standalone plugin runs from the install too: its own bundle, grpc from the install.
    rmSync(join(cwd, 'out'), { recursive: true, force: true });
    const plugin = join(prefix, 'lib', 'node_modules', 'confd', 'bin', 'plugins', 'confd-database-file');
    const viaPlugin = await run(confd, EXAMPLE_ARGS.map((arg) => (arg === 'file' ? plugin : arg)), { cwd, env: { PATH: process.env.PATH, CONFD_SYSTEM_CONFIG: '' } });
    expect(viaPlugin.stderr).not.toMatch(/ERROR/);
    expectExampleRendered(cwd);

    // So does `confd internal-plugin database <name>`: it prints go-plugin's handshake line.
    const served = spawn(confd, ['internal-plugin', 'database', 'env'], {
      env: { PATH: process.env.PATH, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '1', PLUGIN_UNIX_SOCKET_DIR: root },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const handshake = await new Promise<string>((resolve, reject) => {
        let out = '';
        let err = '';
        served.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]);
        });
        served.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        served.on('exit', (code) => reject(new Error(`internal-plugin exited ${code} before its handshake: ${err}`)));
      });
      expect(handshake).toMatch(/^1\|1\|unix\|/);
    } finally {
      served.kill();
    }
  }, 300_000);
});
