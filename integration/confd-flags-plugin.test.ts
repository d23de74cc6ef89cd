/**
 * confd's flags for backends we do not build in (vault, dynamodb, consul, …) reach an
 * external plugin's Configure under the names of confd's plugin draft (PR #568) — from
 * classic flags, `--` flags and confd.toml alike. The plugin (integration/plugins/ts/
 * echo-config.ts) serves the map it received as keys, so the rendered file is exactly
 * what confd sent.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oneResourceConfdir } from '../test/helpers/one-resource.js';
import { REPO_ROOT, runConfd } from '../test/helpers/run-confd.js';

const PLUGIN_DIR = join(REPO_ROOT, 'integration', 'plugins', 'ts');

/** confd flag → its value in the test → the Configure entries it must produce. */
const FLAGS: Array<[string, string | undefined, Record<string, string>]> = [
  ['auth-token', 'tok-1', { token: 'tok-1', authToken: 'tok-1' }],
  ['auth-type', 'app-role', { authType: 'app-role' }],
  ['app-id', 'app-1', { 'app-id': 'app-1' }],
  ['user-id', 'user-1', { 'user-id': 'user-1' }],
  ['role-id', 'role-1', { 'role-id': 'role-1' }],
  ['secret-id', 'secret-1', { 'secret-id': 'secret-1' }],
  ['path', 'approle-custom', { path: 'approle-custom' }],
  ['table', 'table-1', { table: 'table-1' }],
  ['scheme', 'https', { scheme: 'https' }],
  ['client-insecure', undefined, { clientInsecure: 'true' }],
  ['node', 'http://127.0.0.1:8200', { machines: 'http://127.0.0.1:8200', nodes: 'http://127.0.0.1:8200', address: 'http://127.0.0.1:8200', backendNodes: 'http://127.0.0.1:8200' }],
  ['username', 'user', { username: 'user' }],
  ['password', 'pw', { password: 'pw' }],
  ['basic-auth', undefined, { basicAuth: 'true' }],
  ['separator', ':', { separator: ':' }],
  ['client-cert', '/c.pem', { cert: '/c.pem' }],
  ['client-key', '/c.key', { key: '/c.key' }],
  ['client-ca-keys', '/ca.pem', { caCert: '/ca.pem' }],
  ['file', '/values.yaml', { yamlFile: '/values.yaml' }],
  ['filter', '*.json', { filter: '*.json' }],
];
const EXPECTED = Object.assign({}, ...FLAGS.map(([, , entries]) => entries)) as Record<string, string>;

/** The same settings as confd.toml lines, under confd's own key names. */
const FILE_KEYS: Record<string, string> = {
  'auth-token': 'auth_token', 'auth-type': 'auth_type', 'app-id': 'app_id', 'user-id': 'user_id', 'role-id': 'role_id', 'secret-id': 'secret_id',
  'client-insecure': 'client_insecure', node: 'nodes', 'basic-auth': 'basic_auth', 'client-cert': 'client_cert', 'client-key': 'client_key', 'client-ca-keys': 'client_cakeys',
};

function setup(): { confdir: string; dest: string } {
  return oneResourceConfdir('{{#each (gets "/config/*")}}{{Key}}={{Value}}\n{{/each}}', ['/config'], 'config');
}

function received(dest: string): Record<string, string> {
  const lines = readFileSync(dest, 'utf8').trim().split('\n');
  return Object.fromEntries(lines.map((line) => [line.slice('/config/'.length, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

const env = { PATH: `${PLUGIN_DIR}:${process.env.PATH}` };

describe('confd flags for plugin backends reach Configure under PR #568 names', () => {
  for (const dash of ['-', '--']) {
    it(`from ${dash}flags (classic invocation)`, async () => {
      const { confdir, dest } = setup();
      const flags = FLAGS.flatMap(([flag, value]) => (value === undefined ? [`${dash}${flag}`] : [`${dash}${flag}`, value]));
      const run = await runConfd([`${dash}onetime`, `${dash}backend`, 'echoconfig', `${dash}confdir`, confdir, ...flags], { env });
      expect(run.code, run.stderr).toBe(0);
      expect(received(dest)).toMatchObject(EXPECTED);
    });
  }

  it('from confd.toml', async () => {
    const { confdir, dest } = setup();
    const lines = FLAGS.map(([flag, value]) => {
      const key = FILE_KEYS[flag] ?? flag;
      if (value === undefined) return `${key} = true`;
      return key === 'nodes' || key === 'file' ? `${key} = ["${value}"]` : `${key} = "${value}"`;
    });
    writeFileSync(join(confdir, 'confd.toml'), `backend = "echoconfig"\n${lines.join('\n')}\n`);
    const run = await runConfd(['render', '--confdir', confdir], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/unknown setting|ignored here/);
    expect(received(dest)).toMatchObject(EXPECTED);
  });

  it('unset ones are not sent: the plugin sees only what was given', async () => {
    const { confdir, dest } = setup();
    const run = await runConfd(['render', '--backend', 'echoconfig', '--confdir', confdir], { env });
    expect(run.code, run.stderr).toBe(0);
    const config = received(dest);
    for (const key of ['token', 'authToken', 'table', 'app-id', 'path', 'clientInsecure', 'address']) expect(config).not.toHaveProperty(key);
    expect(config.scheme).toBe('http');
  });
});
