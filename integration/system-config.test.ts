/**
 * confd reads /etc/confd/confd.toml whatever -confdir says; so do we, when <confdir>
 * holds no confd.toml/yaml. This test writes the real file, so it needs root: CI runs
 * as root (under CI=true it must run); elsewhere it is skipped with a warning. A file
 * already there is put back afterwards.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oneResourceConfdir } from '../test/helpers/one-resource.js';
import { runConfd } from '../test/helpers/run-confd.js';
import { requireTool } from './helpers/require-tool.js';

const SYSTEM_DIR = '/etc/confd';
const SYSTEM_FILE = join(SYSTEM_DIR, 'confd.toml');
const isRoot = process.getuid?.() === 0;
const available = requireTool(isRoot, 'root (to write /etc/confd/confd.toml)', 'run the tests as root, as CI does');

/** Writes /etc/confd/confd.toml for the duration of `body`, then restores what was there. */
async function withSystemFile(text: string, body: () => Promise<void>): Promise<void> {
  const createdDir = !existsSync(SYSTEM_DIR);
  const backup = existsSync(SYSTEM_FILE) ? `${SYSTEM_FILE}.confd-test-backup` : undefined;
  mkdirSync(SYSTEM_DIR, { recursive: true });
  if (backup) renameSync(SYSTEM_FILE, backup);
  try {
    writeFileSync(SYSTEM_FILE, text);
    await body();
  } finally {
    rmSync(SYSTEM_FILE, { force: true });
    if (backup) renameSync(backup, SYSTEM_FILE);
    if (createdDir) rmSync(SYSTEM_DIR, { recursive: true, force: true });
  }
}

function confdir(): { dir: string; dest: string } {
  const { confdir: dir, dest } = oneResourceConfdir('value={{getv "/value"}}\n', ['/value'], 'system');
  return { dir, dest };
}

// CONFD_SYSTEM_CONFIG unset: the real default, /etc/confd/confd.toml.
const env = { CONFD_SYSTEM_CONFIG: undefined, SYSTEM_VALUE: 'from-system-prefix', CONFDIR_VALUE: 'from-confdir-prefix' };

describe.runIf(available)('/etc/confd/confd.toml', () => {
  it('is read when --confdir points elsewhere and holds no confd.toml', async () => {
    await withSystemFile('backend = "env"\nprefix = "/system"\n', async () => {
      const { dir, dest } = confdir();
      const run = await runConfd(['render', '--confdir', dir, '--log-level', 'debug'], { env });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(`DEBUG settings read from ${SYSTEM_FILE}`);
      expect(readFileSync(dest, 'utf8')).toBe('value=from-system-prefix\n');
    });
  });

  it('loses to <confdir>/confd.toml', async () => {
    await withSystemFile('backend = "env"\nprefix = "/system"\n', async () => {
      const { dir, dest } = confdir();
      writeFileSync(join(dir, 'confd.toml'), 'backend = "env"\nprefix = "/confdir"\n');
      const run = await runConfd(['-onetime', '-confdir', dir], { env });
      expect(run.code, run.stderr).toBe(0);
      expect(readFileSync(dest, 'utf8')).toBe('value=from-confdir-prefix\n');
    });
  });
});
