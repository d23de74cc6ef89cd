/** confd's config file order, the settings confd has for plugins, --interval 0 and --color. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupSrvNodes, srvDiscovery } from '../../src/backends/srv.js';
import { shouldColor } from '../../src/cli/color.js';
import { toDatabaseConfig } from '../../src/config/database-config.js';
import { loadSettings } from '../../src/config/load.js';
import { defaultSettings } from '../../src/config/settings.js';
import { formatError } from '../../src/errors.js';
import { editDistance, nearestName } from '../../src/util/nearest-name.js';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'confd-dropin-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('which config file is read', () => {
  const system = join(dirWith({ 'confd.toml': 'prefix = "/system"\n' }), 'confd.toml');

  it('<confdir>/confd.toml first', async () => {
    const confdir = dirWith({ 'confd.toml': 'prefix = "/confdir"\n' });
    const loaded = await loadSettings({ confdir }, {}, {}, { systemConfigFile: system });
    expect(loaded.configFile).toBe(join(confdir, 'confd.toml'));
    expect(loaded.settings.prefix).toBe('/confdir');
  });
  it('then <confdir>/confd.yaml', async () => {
    const confdir = dirWith({ 'confd.yaml': 'prefix: /yaml\n' });
    expect((await loadSettings({ confdir }, {}, {}, { systemConfigFile: system })).settings.prefix).toBe('/yaml');
  });
  it('then the system file, whatever --confdir says, as confd reads /etc/confd/confd.toml', async () => {
    const confdir = dirWith({});
    const loaded = await loadSettings({ confdir }, {}, {}, { systemConfigFile: system });
    expect(loaded.configFile).toBe(system);
    expect(loaded.settings.prefix).toBe('/system');
    expect(loaded.settings.confdir).toBe(confdir);
  });
  it('--config-file replaces the search', async () => {
    const named = join(dirWith({ 'x.toml': 'prefix = "/named"\n' }), 'x.toml');
    const confdir = dirWith({ 'confd.toml': 'prefix = "/confdir"\n' });
    expect((await loadSettings({ confdir, configFile: named }, {}, {}, { systemConfigFile: system })).settings.prefix).toBe('/named');
  });
  it('no file anywhere: defaults, and the places looked at are reported', async () => {
    const confdir = dirWith({});
    const loaded = await loadSettings({ confdir }, {}, {}, { systemConfigFile: '/nonexistent/confd.toml' });
    expect(loaded.configFile).toBeUndefined();
    expect(loaded.searched).toEqual([...['toml', 'yaml', 'yml'].map((ext) => join(confdir, `confd.${ext}`)), '/nonexistent/confd.toml']);
  });
  it('the default is /etc/confd/confd.toml', async () => {
    // Whether or not this machine has the file, it is the last place searched.
    const loaded = await loadSettings({ confdir: '/nonexistent' }, {});
    expect(loaded.searched.at(-1)).toBe('/etc/confd/confd.toml');
  });
});

describe('--interval', () => {
  it('0 is accepted: no periodic pass in watch mode', async () => {
    expect((await loadSettings({ confdir: '/nonexistent', interval: '0' }, {}, {}, { systemConfigFile: null })).settings.interval).toBe(0);
  });
  it('a negative number is rejected, naming the flag', async () => {
    const error = await loadSettings({ confdir: '/nonexistent', interval: '-1' }, {}, {}, { systemConfigFile: null }).catch((e: unknown) => e);
    expect(formatError(error)).toBe('--interval: expected a whole number of seconds (0 or more), got "-1"');
  });
});

describe('--color', () => {
  it('accepts auto, always and never; anything else names the setting', async () => {
    expect((await loadSettings({ confdir: '/nonexistent', color: 'never' }, {}, {}, { systemConfigFile: null })).settings.color).toBe('never');
    const error = await loadSettings({ confdir: '/nonexistent' }, { CONFD_COLOR: 'yes' }, {}, { systemConfigFile: null }).catch((e: unknown) => e);
    expect(formatError(error)).toBe('CONFD_COLOR: expected auto, always or never, got "yes"');
  });
  it('auto: FORCE_COLOR, then NO_COLOR, then a terminal that is not TERM=dumb', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(shouldColor('auto', tty, {})).toBe(true);
    expect(shouldColor('auto', pipe, {})).toBe(false);
    expect(shouldColor('auto', tty, { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor('auto', tty, { NO_COLOR: '' })).toBe(true);
    expect(shouldColor('auto', tty, { TERM: 'dumb' })).toBe(false);
    expect(shouldColor('auto', pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldColor('auto', pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(shouldColor('auto', tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(shouldColor('auto', pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
  });
  it('always and never beat the environment', () => {
    expect(shouldColor('always', { isTTY: false }, { NO_COLOR: '1' })).toBe(true);
    expect(shouldColor('never', { isTTY: true }, { FORCE_COLOR: '1' })).toBe(false);
  });
});

describe('settings for backends we do not build in reach Configure under PR #568\'s names', () => {
  const settings = {
    ...defaultSettings(),
    authToken: 'tok', authType: 'token', appId: 'a', userId: 'u', roleId: 'r', secretId: 's', authPath: 'approle',
    table: 'tbl', clientInsecure: true, scheme: 'https', nodes: ['http://v1:8200', 'http://v2:8200'],
  };
  it('each one, with the node list under every name the draft uses', () => {
    expect(toDatabaseConfig(settings)).toMatchObject({
      token: 'tok', authToken: 'tok', authType: 'token', 'app-id': 'a', 'user-id': 'u', 'role-id': 'r', 'secret-id': 's', path: 'approle',
      table: 'tbl', clientInsecure: 'true', scheme: 'https',
      machines: 'http://v1:8200,http://v2:8200', nodes: 'http://v1:8200,http://v2:8200', backendNodes: 'http://v1:8200,http://v2:8200', address: 'http://v1:8200',
    });
  });
  it('unset ones are left out, so a [backend_config] entry of that name still gets through', () => {
    const config = toDatabaseConfig({ ...defaultSettings(), backendConfig: { token: 'from-backend-config', address: 'http://vault:8200' } });
    expect(config.token).toBe('from-backend-config');
    expect(config.address).toBe('http://vault:8200');
    expect(config).not.toHaveProperty('table');
    expect(config.scheme).toBe('http');
  });
});

describe('SRV record named by the settings', () => {
  const base = { backend: 'etcd', srvDomain: '', srvRecord: '', scheme: 'http', dnsServer: '' };
  it('_<backend>._tcp.<domain>. from --srv-domain, as confd builds it', () => {
    expect(srvDiscovery({ ...base, srvDomain: 'example.com' })?.record).toBe('_etcd._tcp.example.com.');
    expect(srvDiscovery({ ...base, backend: 'etcdv3', srvDomain: 'example.com.' })?.record).toBe('_etcdv3._tcp.example.com.');
  });
  it('--srv-record wins over --srv-domain', () => {
    expect(srvDiscovery({ ...base, srvDomain: 'example.com', srvRecord: '_etcd-client._tcp.example.org' })?.record).toBe('_etcd-client._tcp.example.org');
  });
  it('a malformed --dns-server is an error naming it, before any lookup', async () => {
    const error = await lookupSrvNodes({ record: '_etcd._tcp.example.test.', scheme: 'http', dnsServer: 'not a server' }, 'etcd').catch((e: unknown) => e);
    expect(formatError(error)).toContain('cannot get nodes from SRV record _etcd._tcp.example.test.: invalid --dns-server "not a server"');
  });
  it('none without either, and none for env and file, which read no nodes', () => {
    expect(srvDiscovery(base)).toBeUndefined();
    expect(srvDiscovery({ ...base, backend: 'env', srvDomain: 'example.com' })).toBeUndefined();
    expect(srvDiscovery({ ...base, backend: 'file', srvDomain: 'example.com' })).toBeUndefined();
  });
});

describe('nearest name', () => {
  it('measures edits', () => {
    expect(editDistance('interval', 'intervall')).toBe(1);
    expect(editDistance('srv_domian', 'srv_domain')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
  });
  it('suggests only plausible typos', () => {
    expect(nearestName('intervall', ['interval', 'watch'])).toBe('interval');
    expect(nearestName('foo_bar_baz', ['interval', 'watch'])).toBeUndefined();
    expect(nearestName('nod', ['nodes', 'node'])).toBe('node');
  });
});
