/** Plugin discovery searches only absolute PATH entries: nothing relative to the working directory. */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pluginSearchDirs } from '../../src/plugin/host/discovery.js';
import { runConfd } from '../helpers/run-confd.js';

describe('plugin search path', () => {
  it('keeps absolute PATH entries only', () => {
    const dirs = pluginSearchDirs(['/opt/plugins'], { PATH: ['', '.', './', 'bin', '../tools', '/usr/local/bin', '/usr/bin/'].join(':') });
    expect(dirs[0]).toBe('/opt/plugins');
    expect(dirs.slice(-2)).toEqual(['/usr/local/bin', '/usr/bin']);
    expect(dirs.every((d) => d.startsWith('/'))).toBe(true);
    expect(dirs).not.toContain(join(process.cwd(), 'bin'));
    expect(dirs).not.toContain(process.cwd());
  });

  it('a plugin planted under a relative PATH entry (./, bin) is never run', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'confd-relpath-'));
    mkdirSync(join(cwd, 'bin'));
    mkdirSync(join(cwd, 'conf.d'));
    mkdirSync(join(cwd, 'templates'));
    writeFileSync(join(cwd, 'templates', 'a.tmpl'), 'x\n');
    writeFileSync(join(cwd, 'conf.d', 'a.toml'), `[template]\nsrc = "a.tmpl"\ndest = "${cwd}/a.conf"\nkeys = ["/a"]\n`);
    const marker = join(cwd, 'ran');
    for (const path of [join(cwd, 'confd-database-planted'), join(cwd, 'bin', 'confd-database-planted')]) {
      writeFileSync(path, `#!/bin/sh\ntouch ${marker}\nexit 1\n`);
      chmodSync(path, 0o755);
    }
    for (const entry of ['./', 'bin', '.', '']) {
      const run = await runConfd(['render', '--backend', 'planted', '--confdir', cwd], { cwd, env: { PATH: `${entry}:/usr/bin:/bin` } });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('no built-in and no confd-database-planted executable');
    }
    expect(existsSync(marker)).toBe(false);
  });
});
