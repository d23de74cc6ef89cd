/**
 * confd's habits work unchanged: every flag confd 0.16/0.17 accepts, in classic
 * (`-flag`) and `--flag` form, and every key confd reads from confd.toml, through the
 * real CLI. Ignored ones are warned about (with the file line); none is "unknown".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFD_FILE_KEYS, CONFD_FLAGS } from '../helpers/confd-flags.js';
import { oneResourceConfdir } from '../helpers/one-resource.js';
import { runConfd } from '../helpers/run-confd.js';

/** A confdir rendering `value=<APP_VALUE>` (key /value under --prefix /app), with an empty confd.toml. */
function confdir(): { dir: string; dest: string } {
  const { confdir: dir, dest } = oneResourceConfdir('value={{getv "/value"}}\n', ['/value']);
  writeFileSync(join(dir, 'confd.toml'), '');
  return { dir, dest };
}

/** Every confd flag but -version, as `<dash>name[=value]` arguments (noop off, so files are written). */
function allFlags(dash: '-' | '--', dir: string): string[] {
  return CONFD_FLAGS.filter((f) => f.name !== 'version').flatMap((f) => {
    if (f.value === undefined) return [`${dash}${f.name}${f.name === 'noop' ? '=false' : ''}`];
    return [`${dash}${f.name}`, f.value.replace('<confdir>', dir)];
  });
}

const env = { APP_VALUE: 'from-env' };

describe('every confd flag is accepted', () => {
  for (const dash of ['-', '--'] as const) {
    it(`in ${dash}flag form, all at once, as a systemd unit would give them`, async () => {
      const { dir, dest } = confdir();
      const run = await runConfd(allFlags(dash, dir), { env, cleanEnv: true });
      expect(run.stderr).not.toMatch(/unknown|ERROR/);
      expect(run.code, run.stderr).toBe(0);
      expect(readFileSync(dest, 'utf8')).toBe('value=from-env\n');
      // The one confd flag that means nothing here says so.
      expect(run.stderr).toContain('--secret-keyring is a confd setting that is ignored here');
    });
  }

  it('after a subcommand too, with one dash', async () => {
    const { dir, dest } = confdir();
    const run = await runConfd(['render', '-backend', 'env', '-confdir', dir, '-prefix', '/app', '-auth-token', 't', '-srv-domain', 'example.test'], { env, cleanEnv: true });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(dest, 'utf8')).toBe('value=from-env\n');
  });

  for (const form of ['-version', '--version', 'version']) {
    it(`${form} prints the version and exits 0, whatever else is given`, async () => {
      const run = await runConfd([form, ...(form.startsWith('-') ? ['-backend', 'env'] : [])]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^confd \d+\.\d+\.\d+ \(node v\d+/);
    });
  }

  it('the list walked is confd\'s: 34 flags of 0.17 and 0.16\'s -secret-keyring', () => {
    expect(CONFD_FLAGS).toHaveLength(35);
    expect(new Set(CONFD_FLAGS.map((f) => f.name)).size).toBe(35);
  });
});

describe('every confd.toml key is accepted', () => {
  const sample: Record<string, string> = {
    interval: '5', watch: 'true', printversion: 'false', onetime: 'true', noop: 'false', 'sync-only': 'true', keepstagefile: 'true',
    basic_auth: 'true', client_insecure: 'true', nodes: '["127.0.0.1:1"]', file: '["/nonexistent/values.yaml"]', prefix: '"/app"',
    backend: '"env"', scheme: '"https"', 'log-level': '"debug"', client_cert: '"/nonexistent/c.pem"', client_key: '"/nonexistent/c.key"',
  };
  const IGNORED = ['printversion', 'configfile', 'onetime', 'configdir', 'templatedir', 'role', 'secret_keyring'];

  it('each is read; the ones that mean nothing here are warned about with their line', async () => {
    const { dir, dest } = confdir();
    const lines = CONFD_FILE_KEYS.map((key) => `${/^[\w]+$/.test(key) ? key : `"${key}"`} = ${sample[key] ?? (key === 'confdir' ? `"${dir}"` : `"${key}-value"`)}`);
    writeFileSync(join(dir, 'confd.toml'), lines.join('\n') + '\n');
    const run = await runConfd(['render', '--confdir', dir], { env, cleanEnv: true });
    expect(run.stderr).not.toMatch(/unknown|ERROR/);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(dest, 'utf8')).toBe('value=from-env\n');
    for (const key of IGNORED) {
      const line = CONFD_FILE_KEYS.indexOf(key) + 1;
      expect(run.stderr).toContain(`${join(dir, 'confd.toml')}:${line}: "${key}" is a confd setting that is ignored here`);
    }
    expect(run.stderr.match(/is a confd setting that is ignored here/g)).toHaveLength(IGNORED.length);
  });

  it('an unknown key is named with its line and the nearest known name', async () => {
    const { dir } = confdir();
    writeFileSync(join(dir, 'confd.toml'), 'backend = "env"\nprefix = "/app"\nsrv_domian = "example.test"\nfoo_bar_baz = 1\n');
    const run = await runConfd(['render', '--confdir', dir], { env, cleanEnv: true });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`${join(dir, 'confd.toml')}:3: unknown setting "srv_domian" ignored (did you mean "srv_domain"?)`);
    expect(run.stderr).toMatch(/confd\.toml:4: unknown setting "foo_bar_baz" ignored\n/);
  });
});
