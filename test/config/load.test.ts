import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toDatabaseConfig } from '../../src/config/database-config.js';
import { parseDuration, parseWait } from '../../src/config/duration.js';
import { loadSettings as loadWithSystemFile, type CliValues } from '../../src/config/load.js';
import { ConfdError, formatError } from '../../src/errors.js';

/** Never the machine's /etc/confd/confd.toml: these tests must not depend on it. */
function loadSettings(cli: CliValues, env: NodeJS.ProcessEnv, systemConfigFile: string | null = null) {
  return loadWithSystemFile(cli, env, {}, { systemConfigFile });
}

function confdirWith(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'confd-config-'));
  writeFileSync(join(dir, name), text);
  return dir;
}

describe('settings precedence: flags > env > file > defaults', () => {
  const dir = confdirWith('confd.toml', 'backend = "file"\nfile = ["/from/file"]\ninterval = 10\nprefix = "/file"\nlog-level = "debug"\nnodes = ["a:1"]\n');

  it('uses defaults when nothing is given', async () => {
    const { settings } = await loadSettings({ confdir: '/nonexistent' }, {});
    expect(settings.backend).toBe('etcd');
    expect(settings.interval).toBe(600);
    expect(settings.logLevel).toBe('info');
  });
  it('the file beats defaults', async () => {
    const { settings, configFile } = await loadSettings({ confdir: dir }, {});
    expect(configFile).toBe(join(dir, 'confd.toml'));
    expect(settings.interval).toBe(10);
    expect(settings.prefix).toBe('/file');
    expect(settings.logLevel).toBe('debug');
    expect(settings.nodes).toEqual(['a:1']);
  });
  it('env beats the file', async () => {
    const { settings } = await loadSettings({ confdir: dir }, { CONFD_INTERVAL: '20', CONFD_NODE: 'x:1,y:2' });
    expect(settings.interval).toBe(20);
    expect(settings.nodes).toEqual(['x:1', 'y:2']);
  });
  it('flags beat env and the file', async () => {
    const { settings } = await loadSettings({ confdir: dir, interval: '30', prefix: '/flag' }, { CONFD_INTERVAL: '20', CONFD_PREFIX: '/env' });
    expect(settings.interval).toBe(30);
    expect(settings.prefix).toBe('/flag');
  });
  it('reads confd.yaml with the same keys', async () => {
    const yamlDir = confdirWith('confd.yaml', 'backend: env\ninterval: 7\nsync-only: true\nbackend_config:\n  region: eu\n  retries: 3\n');
    const { settings } = await loadSettings({ confdir: yamlDir }, {});
    expect(settings.backend).toBe('env');
    expect(settings.interval).toBe(7);
    expect(settings.syncOnly).toBe(true);
    expect(settings.backendConfig).toEqual({ region: 'eu', retries: '3' });
    expect(toDatabaseConfig(settings)).toMatchObject({ region: 'eu', retries: '3', machines: '' });
  });
  it('accepts confd\'s legacy CONFD_CLIENT_CAKEYS', async () => {
    const { settings } = await loadSettings({ confdir: '/nonexistent', backend: 'env' }, { CONFD_CLIENT_CAKEYS: '/ca.pem' });
    expect(settings.clientCaKeys).toBe('/ca.pem');
  });
  it('warns about unknown keys in the file', async () => {
    const typo = confdirWith('confd.toml', 'backend = "env"\nintervall = 5\n');
    const { warnings } = await loadSettings({ confdir: typo }, {});
    expect(warnings.join('\n')).toContain('unknown setting "intervall"');
  });
});

describe('exec and http settings reach Configure', () => {
  it('passes an argv array as JSON, and shell, format, watch_mode and auth_token by their draft-style names', async () => {
    const dir = confdirWith('confd.toml', 'backend = "exec"\ncommand = ["cat", "/etc/my data.json"]\nformat = "json"\nwatch_mode = "stream"\nauth_token = "t0k"\n');
    const { settings, warnings } = await loadSettings({ confdir: dir }, {});
    expect(warnings).toEqual([]);
    expect(toDatabaseConfig(settings)).toMatchObject({ command: '["cat","/etc/my data.json"]', shell: 'false', format: 'json', watchMode: 'stream', authToken: 't0k' });
  });
  it('takes a command string from a flag or CONFD_COMMAND, and --auth-token as confd does', async () => {
    const { settings } = await loadSettings({ confdir: '/nonexistent', command: 'cat x | jq .', shell: 'true', authToken: 'flag' }, { CONFD_AUTH_TOKEN: 'env' });
    expect(toDatabaseConfig(settings)).toMatchObject({ command: 'cat x | jq .', shell: 'true', authToken: 'flag' });
    expect((await loadSettings({ confdir: '/nonexistent' }, { CONFD_COMMAND: 'env-cmd' })).settings.command).toBe('env-cmd');
  });
  it('rejects a command that is neither a string nor a list of strings', async () => {
    const dir = confdirWith('confd.toml', 'backend = "exec"\ncommand = [1, 2]\n');
    const error = await loadSettings({ confdir: dir }, {}).catch((e: unknown) => e);
    expect(formatError(error)).toBe(`${join(dir, 'confd.toml')}:2: command: expected a command string or a non-empty list of strings, got a list`);
  });
});

describe('validation names the key and the file', () => {
  it('rejects a bad type in the file with file:line', async () => {
    const dir = confdirWith('confd.toml', 'backend = "env"\n\ninterval = "soon"\n');
    const error = await loadSettings({ confdir: dir }, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfdError);
    expect(formatError(error)).toBe(`${join(dir, 'confd.toml')}:3: interval: expected a whole number of seconds (0 or more), got "soon"`);
  });
  it('rejects malformed TOML with file:line', async () => {
    const dir = confdirWith('confd.toml', 'backend = "env"\nnodes = [\n');
    expect(formatError(await loadSettings({ confdir: dir }, {}).catch((e: unknown) => e))).toMatch(new RegExp(`^${join(dir, 'confd.toml')}:\\d+:\\d+: invalid TOML`));
  });
  it('names the env variable', async () => {
    const error = await loadSettings({ confdir: '/nonexistent' }, { CONFD_LOG_LEVEL: 'loud' }).catch((e: unknown) => e);
    expect(formatError(error)).toContain('CONFD_LOG_LEVEL: not a valid level: "loud"');
  });
  it('names the flag', async () => {
    const error = await loadSettings({ confdir: '/nonexistent', wait: '10s:2s' }, {}).catch((e: unknown) => e);
    expect(formatError(error)).toContain('--wait: expected "min:max"');
  });
  it('leaves backend-specific checks to the backend (settings load without --file)', async () => {
    const { settings } = await loadSettings({ confdir: '/nonexistent', backend: 'file' }, {});
    expect(settings.files).toEqual([]);
  });
  it('a named config file must exist', async () => {
    const error = await loadSettings({ configFile: '/nope/confd.toml' }, {}).catch((e: unknown) => e);
    expect(formatError(error)).toContain('config file not found: /nope/confd.toml');
  });
});

describe('durations and wait', () => {
  it('parses durations', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('2')).toBe(2000);
    expect(parseDuration('soon')).toBeUndefined();
  });
  it('parses wait with consul-template defaults', () => {
    expect(parseWait('2s:10s')).toEqual({ minMs: 2000, maxMs: 10_000 });
    expect(parseWait('2s')).toEqual({ minMs: 2000, maxMs: 8000 });
    expect(parseWait('5s:1s')).toBeUndefined();
  });
});
