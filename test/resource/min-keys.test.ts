/**
 * The empty-snapshot guard, through the real CLI and the file backend: a 0-byte data
 * file would render an empty upstream list and reload the service with it.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConfd } from '../helpers/run-confd.js';

function setup(resourceExtra: string, confdToml = '') {
  const root = mkdtempSync(join(tmpdir(), 'confd-minkeys-'));
  const confdir = join(root, 'confdir');
  const out = join(root, 'out');
  mkdirSync(join(confdir, 'conf.d'), { recursive: true });
  mkdirSync(join(confdir, 'templates'));
  mkdirSync(out);
  const data = join(root, 'upstreams.yaml');
  writeFileSync(data, 'upstreams:\n  a: 10.0.0.1\n  b: 10.0.0.2\n');
  writeFileSync(join(confdir, 'templates', 'up.tmpl'), '{{#each (gets "/upstreams/*")}}server {{Value}};\n{{/each}}');
  writeFileSync(
    join(confdir, 'conf.d', 'up.toml'),
    `[template]\nsrc = "up.tmpl"\ndest = "${out}/up.conf"\nkeys = ["/upstreams"]\nreload_cmd = "echo reload >> ${root}/reloads"\n${resourceExtra}`,
  );
  if (confdToml) writeFileSync(join(confdir, 'confd.toml'), confdToml);
  const render = () => runConfd(['render', '--backend', 'file', '--file', data, '--confdir', confdir]);
  return { root, out, data, render, reloads: () => (existsSync(join(root, 'reloads')) ? readFileSync(join(root, 'reloads'), 'utf8') : '') };
}

describe('min_keys', () => {
  it('a resource whose keys return fewer entries fails and keeps the last good file', async () => {
    const s = setup('min_keys = 2\n');
    expect((await s.render()).code).toBe(0);
    const good = 'server 10.0.0.1;\nserver 10.0.0.2;\n';
    expect(readFileSync(join(s.out, 'up.conf'), 'utf8')).toBe(good);

    writeFileSync(s.data, '');
    const empty = await s.render();
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('min_keys: keys /upstreams returned 0 entries, fewer than min_keys = 2');
    expect(empty.stderr).toContain('up.conf was left as it is');
    expect(readFileSync(join(s.out, 'up.conf'), 'utf8')).toBe(good);

    writeFileSync(s.data, 'upstreams:\n  a: 10.0.0.1\n');
    expect((await s.render()).stderr).toContain('returned 1 entry, fewer than min_keys = 2');
    expect(readFileSync(join(s.out, 'up.conf'), 'utf8')).toBe(good);
    expect(s.reloads()).toBe('reload\n');
  });

  it('the global min_keys in confd.toml applies to resources that do not set one; a resource can override it', async () => {
    const s = setup('', 'min_keys = 1\n');
    writeFileSync(s.data, '');
    const run = await s.render();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('fewer than min_keys = 1');
    expect(existsSync(join(s.out, 'up.conf'))).toBe(false);

    const off = setup('min_keys = 0\n', 'min_keys = 1\n');
    writeFileSync(off.data, '');
    expect((await off.render()).code).toBe(0);
    expect(readFileSync(join(off.out, 'up.conf'), 'utf8')).toBe('');
  });

  it('an invalid min_keys is a clear error naming the setting', async () => {
    const s = setup('min_keys = -1\n');
    const run = await s.render();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/up\.toml:\d+: min_keys: expected a whole number, got -1/);
  });
});
