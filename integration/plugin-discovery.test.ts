/** `confd plugins list` and discovery order: --plugin-dir, the install dir, PATH; never the cwd unless listed. */
import { copyFileSync, chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runConfd } from '../test/helpers/run-confd.js';

const TS_PLUGIN = join(REPO_ROOT, 'integration', 'plugins', 'ts', 'confd-database-tsmem');

function pluginDir(names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'confd-pdir-'));
  for (const name of names) {
    writeFileSync(join(dir, name), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

describe('plugin discovery', () => {
  it('plugins list shows built-ins, external plugins with paths, and marks shadowed ones', async () => {
    const first = pluginDir(['confd-database-alpha', 'confd-database-env']);
    const second = pluginDir(['confd-database-alpha.sh', 'confd-database-beta']);
    const run = await runConfd(['plugins', 'list', '--plugin-dir', first, '--plugin-dir', second], { env: { PATH: '/usr/bin:/bin' } });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('env              built-in');
    expect(lines).toContain('file             built-in');
    expect(lines).toContain(`alpha            ${join(first, 'confd-database-alpha')}`);
    expect(lines).toContain(`env              ${join(first, 'confd-database-env')}  (shadowed by built-in env)`);
    expect(lines).toContain(`alpha            ${join(second, 'confd-database-alpha.sh')}  (shadowed by ${join(first, 'confd-database-alpha')})`);
    expect(lines).toContain(`beta             ${join(second, 'confd-database-beta')}`);
  });

  it('does not run a plugin planted in the working directory', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'confd-cwd-'));
    copyFileSync(TS_PLUGIN, join(cwd, 'confd-database-planted'));
    chmodSync(join(cwd, 'confd-database-planted'), 0o755);
    for (const entry of ['.', '', './', 'bin/..', './/']) {
      const run = await runConfd(['plugins', 'inspect', 'planted'], { cwd, env: { PATH: `${entry}:${process.env.PATH}` } });
      expect(run.code, `PATH entry ${JSON.stringify(entry)}`).toBe(1);
      expect(run.stderr).toContain('no built-in and no confd-database-planted executable');
    }
  });

  it('finds a plugin in the working directory when it is listed with --plugin-dir', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'confd-cwd-'));
    writeFileSync(join(cwd, 'confd-database-listed'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(cwd, 'confd-database-listed'), 0o755);
    const run = await runConfd(['plugins', 'list', '--plugin-dir', '.'], { cwd, env: { PATH: '/usr/bin:/bin' } });
    expect(run.stdout).toContain(`listed           ${join(cwd, 'confd-database-listed')}`);
  });

  it('plugins inspect shows handshake and capabilities of an SDK plugin', async () => {
    const run = await runConfd(['plugins', 'inspect', TS_PLUGIN]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('plugin:     tsmem');
    expect(run.stdout).toMatch(/handshake: {2}1\|1\|unix\|\/\S+\/plugin\.sock\|grpc\|/);
    expect(run.stdout).toContain('version:    1.0.0');
    expect(run.stdout).toContain('can watch:  yes');
  });
});
