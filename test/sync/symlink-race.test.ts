/**
 * The symlink race, for real: confd (this process, root) renders into a directory owned
 * by an unprivileged user, while a second process running as that user renames a
 * symlink to a root-owned 0600 file over every stage file as soon as it appears. With
 * chown/chmod by path, root would chown the link's target; by handle, it never changes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { formatError } from '../../src/errors.js';
import { silentLogger } from '../../src/log/logger.js';
import { syncFile } from '../../src/resource/sync/index.js';
import { requireRoot, rootOrCi } from './root.js';

const SWAPPER = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'symlink-swapper.mjs');
const NOBODY = 65534;
const RENDERS = 150;

let attacker: ChildProcess | undefined;
afterEach(() => {
  attacker?.kill('SIGKILL');
  attacker = undefined;
});

function startAttacker(dir: string, target: string): Promise<{ stop(): Promise<number> }> {
  const child = spawn(process.execPath, [SWAPPER, dir, '^\\.app\\.conf\\.[0-9a-f]{12}$', target], { uid: NOBODY, gid: NOBODY, stdio: ['ignore', 'pipe', 'inherit'] });
  attacker = child;
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    const onData = () => {
      if (!output.startsWith('ready\n')) return;
      child.stdout!.off('data', onData);
      resolve({
        async stop() {
          child.kill('SIGTERM');
          await exited;
          return Number(output.slice('ready\n'.length).trim());
        },
      });
    };
    child.stdout!.on('data', onData);
  });
}

describe('stage file vs a symlink swapped in by the dest directory owner', () => {
  it.runIf(rootOrCi)('never changes the owner, mode or content of the symlink target', async () => {
    requireRoot();
    const root = mkdtempSync(join(tmpdir(), 'confd-race-'));
    chmodSync(root, 0o755);
    const secret = join(root, 'shadow');
    writeFileSync(secret, 'root:secret-hash:19000::::::\n', { mode: 0o600 });
    const destDir = join(root, 'app');
    mkdirSync(destDir, { mode: 0o755 });
    chownSync(destDir, NOBODY, NOBODY);
    const dest = join(destDir, 'app.conf');

    const swapper = await startAttacker(destDir, secret);
    let refused = 0;
    const targetStates = new Set<string>();
    let swaps = 0;
    try {
      for (let i = 0; i < RENDERS; i++) {
        try {
          await syncFile(`generation ${i}\n`, { dest, mode: 0o644, uid: NOBODY, gid: NOBODY, checkCmdTimeoutMs: 30_000, reloadCmdTimeoutMs: 60_000, makeDirectories: false }, {
            // Every other render keeps a copy of the stage file (--keep-stage-file): written by handle too.
            noop: false, diff: false, syncOnly: false, keepStageFile: i % 2 === 1, logger: silentLogger,
          });
        } catch (error) {
          expect(formatError(error)).toMatch(/stage file .* was replaced or removed by someone else .* is unchanged/);
          refused++;
        }
        const info = lstatSync(secret);
        targetStates.add(`uid ${info.uid} gid ${info.gid} mode ${(info.mode & 0o7777).toString(8)}`);
      }
    } finally {
      swaps = await swapper.stop();
    }
    expect([...targetStates]).toEqual(['uid 0 gid 0 mode 600']);
    expect(readFileSync(secret, 'utf8')).toBe('root:secret-hash:19000::::::\n');
    // The race really ran: the attacker replaced stage files, and confd noticed.
    expect(swaps).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    rmSync(root, { recursive: true, force: true });
  });
});
