/** `--help`, unknown flags, the debug line naming the config file, and colour decisions, through the real CLI. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { oneResourceConfdir } from '../helpers/one-resource.js';
import { CONFD_BIN, runConfd } from '../helpers/run-confd.js';

const ESC = '\u001b[';

describe('help', () => {
  it('confd --help shows the classic flags and examples', async () => {
    const run = await runConfd(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('confd -onetime -backend env -confdir /etc/confd');
    expect(run.stdout).toMatch(/Examples:\n  confd render --backend file/);
    expect(run.stdout).toMatch(/^\s+version\s+print the version/m);
  });
  it('confd render --help shows every flag with its default and variable', async () => {
    const run = await runConfd(['render', '--help']);
    expect(run.code).toBe(0);
    const help = run.stdout.replace(/\s+/g, ' ');
    expect(help).toContain('--backend <name>');
    expect(help).toContain('(default: etcd) [env CONFD_BACKEND]');
    expect(help).toContain('(default: /etc/confd) [env CONFD_CONFDIR]');
    expect(help).toContain('(default: 600) [env CONFD_INTERVAL]');
    expect(help).toContain('(default: 1m) [env CONFD_PLUGIN_START_TIMEOUT]');
    expect(help).toContain('(default: 256MiB) [env CONFD_PLUGIN_MAX_MESSAGE_SIZE]');
    expect(help).toContain('else /etc/confd/confd.toml)');
    for (const flag of ['--auth-token', '--srv-domain', '--srv-record', '--scheme', '--table', '--client-insecure', '--color']) expect(help).toContain(flag);
    expect(help).toContain('Examples: confd render');
  });
  it('confd watch --help shows watch mode\'s own default', async () => {
    const help = (await runConfd(['watch', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toMatch(/--watch \[bool\] watch backends for changes \(watch mode\) \(default: true\)/);
  });
  it('plugins list --help lists only the flags it reads', async () => {
    const run = await runConfd(['plugins', 'list', '--help']);
    expect(run.code).toBe(0);
    const flags = [...run.stdout.matchAll(/^\s+(--[\w-]+|-h, --help)/gm)].map((m) => m[1]);
    expect(flags).toEqual(['--confdir', '--config-file', '--log-level', '--log-format', '--plugin-dir', '-h, --help']);
  });
  it('an unknown flag: exit 2, a suggestion and a one-line hint, not the whole usage', async () => {
    const run = await runConfd(['render', '--backnd', 'env']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--backnd'");
    expect(run.stderr).toContain('--backend');
    expect(run.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
  });
});

describe('config file', () => {
  it('the debug log names the file that was read, or where it looked', async () => {
    const confdir = mkdtempSync(join(tmpdir(), 'confd-cfg-'));
    const none = await runConfd(['render', '--backend', 'env', '--confdir', confdir, '--log-level', 'debug'], { cleanEnv: true });
    expect(none.stderr).toContain(`DEBUG no config file (looked for ${join(confdir, 'confd.toml')}, ${join(confdir, 'confd.yaml')}, ${join(confdir, 'confd.yml')})`);
    writeFileSync(join(confdir, 'confd.toml'), 'backend = "env"\n');
    const found = await runConfd(['render', '--confdir', confdir, '--log-level', 'debug'], { cleanEnv: true });
    expect(found.stderr).toContain(`DEBUG settings read from ${join(confdir, 'confd.toml')}`);
  });
});

/** A confdir whose one resource would change dest: `--noop --diff` prints a diff. */
function changingResource(): string[] {
  const { confdir, dest } = oneResourceConfdir('new\n', ['/x']);
  writeFileSync(dest, 'old\n');
  return ['render', '--backend', 'env', '--confdir', confdir, '--noop', '--diff'];
}

describe('colour of the --noop --diff output', () => {
  const cases: Array<[string, string[], Record<string, string>, boolean]> = [
    ['a pipe: plain', [], {}, false],
    ['FORCE_COLOR on a pipe: coloured', [], { FORCE_COLOR: '1' }, true],
    ['--color always on a pipe: coloured, even with NO_COLOR', ['--color', 'always'], { NO_COLOR: '1' }, true],
    ['--color never: plain, even with FORCE_COLOR', ['--color', 'never'], { FORCE_COLOR: '1' }, false],
    ['CONFD_COLOR=always: coloured', [], { CONFD_COLOR: 'always' }, true],
  ];
  for (const [what, flags, env, coloured] of cases) {
    it(what, async () => {
      const run = await runConfd([...changingResource(), ...flags], { env: { NO_COLOR: '', FORCE_COLOR: undefined, ...env } });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('+new');
      expect(run.stdout.includes(ESC)).toBe(coloured);
    });
  }

  // A real pseudo-terminal (util-linux `script`), so TTY detection itself is exercised.
  const onTerminal = async (env: Record<string, string>): Promise<string> => {
    const command = [process.execPath, CONFD_BIN, ...changingResource()].map((a) => `'${a}'`).join(' ');
    const { stdout } = await promisify(execFile)('script', ['-q', '-e', '-c', command, '/dev/null'], {
      env: { PATH: process.env.PATH, TERM: 'xterm', CONFD_SYSTEM_CONFIG: '', ...env },
    });
    return stdout;
  };
  it('a terminal: coloured', async () => {
    const out = await onTerminal({});
    expect(out).toContain('new');
    expect(out).toContain(`${ESC}32m+new`);
  });
  it('a terminal with NO_COLOR: plain', async () => {
    const out = await onTerminal({ NO_COLOR: '1' });
    expect(out).toContain('+new');
    expect(out).not.toContain(ESC);
  });
});
