/** Bad input through the real CLI: clear errors naming file/line/key, nothing partial written. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConfd } from '../helpers/run-confd.js';

interface Setup {
  confdir: string;
  out: string;
}

function setup(resources: Record<string, string>, templates: Record<string, string>): Setup {
  const root = mkdtempSync(join(tmpdir(), 'confd-bad-'));
  const confdir = join(root, 'confdir');
  const out = join(root, 'out');
  mkdirSync(join(confdir, 'conf.d'), { recursive: true });
  mkdirSync(join(confdir, 'templates'), { recursive: true });
  mkdirSync(out);
  for (const [name, text] of Object.entries(resources)) writeFileSync(join(confdir, 'conf.d', name), text.replaceAll('OUT', out));
  for (const [name, text] of Object.entries(templates)) writeFileSync(join(confdir, 'templates', name), text);
  return { confdir, out };
}

const good = '[template]\nsrc = "good.tmpl"\ndest = "OUT/good.conf"\nkeys = ["/app"]\n';
const env = { APP_NAME: 'shop', HOSTNAME: 'localhost' };

describe('bad input', () => {
  it('a malformed TOML resource: exit 1 with file:line, nothing written', async () => {
    const s = setup({ 'a-good.toml': good, 'b-bad.toml': '[template]\nsrc = "good.tmpl"\ndest = "OUT/bad.conf"\nkeys = [\n' }, { 'good.tmpl': 'name={{getv "/app/name"}}\n' });
    const run = await runConfd(['render', '--backend', 'env', '--confdir', s.confdir], { env, cleanEnv: true });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`${join(s.confdir, 'conf.d', 'b-bad.toml')}:\\d+(:\\d+)?: invalid TOML`));
    expect(existsSync(join(s.out, 'good.conf'))).toBe(false);
  });

  it('a malformed YAML resource: exit 1 with file:line, nothing written', async () => {
    const s = setup({ 'a-good.toml': good, 'b-bad.yaml': 'template:\n  src: good.tmpl\n  dest: "OUT/x\n' }, { 'good.tmpl': 'x' });
    const run = await runConfd(['render', '--backend', 'env', '--confdir', s.confdir], { env, cleanEnv: true });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`${join(s.confdir, 'conf.d', 'b-bad.yaml')}:\\d+(:\\d+)?: invalid YAML`));
    expect(existsSync(join(s.out, 'good.conf'))).toBe(false);
  });

  it('a template syntax error names the template file and line; the others still render', async () => {
    const s = setup(
      { 'a.toml': good, 'b.toml': '[template]\nsrc = "broken.tmpl"\ndest = "OUT/broken.conf"\nkeys = ["/app"]\n' },
      { 'good.tmpl': 'name={{getv "/app/name"}}\n', 'broken.tmpl': 'line one\nline two {{#each (gets "/app/*")}}\n{{/if}}\n' },
    );
    const run = await runConfd(['render', '--backend', 'env', '--confdir', s.confdir], { env, cleanEnv: true });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${join(s.confdir, 'templates', 'broken.tmpl')}:`);
    expect(run.stderr).toMatch(/broken\.tmpl:[23]/);
    expect(readFileSync(join(s.out, 'good.conf'), 'utf8')).toBe('name=shop\n');
    expect(existsSync(join(s.out, 'broken.conf'))).toBe(false);
  });

  it('a missing key: exit 1 naming the key and the resource; the others still render', async () => {
    const s = setup(
      { 'a.toml': '[template]\nsrc = "missing.tmpl"\ndest = "OUT/missing.conf"\nkeys = ["/database"]\n', 'b.toml': good },
      { 'missing.tmpl': 'host={{getv "/database/host"}}\n', 'good.tmpl': 'name={{getv "/app/name"}}\n' },
    );
    const run = await runConfd(['render', '--backend', 'env', '--confdir', s.confdir], { env, cleanEnv: true });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('key does not exist: /database/host');
    expect(run.stderr).toContain(join(s.confdir, 'conf.d', 'a.toml'));
    expect(existsSync(join(s.out, 'missing.conf'))).toBe(false);
    expect(readFileSync(join(s.out, 'good.conf'), 'utf8')).toBe('name=shop\n');
  });

  it('an invalid setting is named before any work', async () => {
    const s = setup({ 'a.toml': good }, { 'good.tmpl': 'x' });
    const run = await runConfd(['render', '--backend', 'env', '--confdir', s.confdir, '--log-level', 'loud'], { env, cleanEnv: true });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--log-level: not a valid level: "loud"');
    expect(existsSync(join(s.out, 'good.conf'))).toBe(false);
  });

  it('an unknown backend is a clear error', async () => {
    const s = setup({ 'a.toml': good }, { 'good.tmpl': 'x' });
    const run = await runConfd(['render', '--backend', 'nosuchdb', '--confdir', s.confdir], { env: { PATH: '/usr/bin:/bin' }, cleanEnv: true });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nosuchdb');
  });

  it('an unknown flag exits 2 with usage', async () => {
    const run = await runConfd(['render', '--no-such-flag']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--no-such-flag'");
  });

  it('a missing confdir renders nothing and exits 0, as in confd', async () => {
    const run = await runConfd(['render', '--backend', 'env', '--confdir', '/nonexistent/confd']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("confdir '/nonexistent/confd' does not exist");
  });

  it('--version prints the version', async () => {
    const run = await runConfd(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^confd \d+\.\d+\.\d+/);
  });
});
