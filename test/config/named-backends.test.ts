/** `[backends.<name>]` tables: parsed with the same option table, errors with file:line. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/load.js';
import { backendNames, settingsForBackend } from '../../src/config/named-backends.js';
import { formatError } from '../../src/errors.js';

function configDir(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'confd-named-'));
  writeFileSync(join(dir, name), text);
  return dir;
}

const TOML = `backend = "etcd"
nodes = ["http://127.0.0.1:2379"]
password = "top-secret"
prefix = "/production"

[backends.secrets]
backend = "file"
file = ["/run/secrets/app.yaml"]

[backends.local]
backend = "env"
prefix = "/local"

[backends.plugin]
backend = "vault"
nodes = ["https://vault:8200"]
[backends.plugin.backend_config]
mount = "kv"
`;

describe('named backends', () => {
  it('reads [backends.<name>] tables from TOML, each with its own backend settings', async () => {
    const { settings } = await loadSettings({ confdir: configDir('confd.toml', TOML) }, {});
    expect(backendNames(settings)).toEqual(['default', 'local', 'plugin', 'secrets']);
    const secrets = settingsForBackend(settings, 'secrets');
    expect(secrets.backend).toBe('file');
    expect(secrets.files).toEqual(['/run/secrets/app.yaml']);
    // A named backend does not inherit the top level's backend settings…
    expect(secrets.nodes).toEqual([]);
    expect(secrets.password).toBe('');
    expect(secrets.prefix).toBe('');
    // …but shares the global ones.
    expect(secrets.confdir).toBe(settings.confdir);
    expect(settingsForBackend(settings, 'local').prefix).toBe('/local');
    expect(settingsForBackend(settings, 'plugin').backendConfig).toEqual({ mount: 'kv' });
    expect(settingsForBackend(settings, 'default')).toBe(settings);
  });

  it('reads the same schema from YAML', async () => {
    const yaml = 'backend: env\nbackends:\n  files:\n    backend: file\n    file: [/tmp/a.yaml, /tmp/b.yaml]\n    filter: "*.yaml"\n';
    const { settings } = await loadSettings({ confdir: configDir('confd.yaml', yaml) }, {});
    expect(settingsForBackend(settings, 'files').files).toEqual(['/tmp/a.yaml', '/tmp/b.yaml']);
    expect(settingsForBackend(settings, 'files').filter).toBe('*.yaml');
  });

  it('a global setting inside a named backend is an error naming it and its line', async () => {
    const dir = configDir('confd.toml', 'backend = "env"\n\n[backends.x]\nbackend = "env"\ninterval = 5\n');
    const error = await loadSettings({ confdir: dir }, {}).catch((e: unknown) => e);
    expect(formatError(error)).toBe(`${join(dir, 'confd.toml')}:3: backends.x.interval is a global setting: set it at the top level`);
  });

  it('a named backend must say which backend it is, and cannot be called default', async () => {
    const missing = configDir('confd.toml', '[backends.x]\nnodes = ["a"]\n');
    expect(formatError(await loadSettings({ confdir: missing }, {}).catch((e: unknown) => e))).toContain('backends.x: missing "backend"');
    const reserved = configDir('confd.toml', '[backends.default]\nbackend = "env"\n');
    expect(formatError(await loadSettings({ confdir: reserved }, {}).catch((e: unknown) => e))).toContain('"default" is the top-level backend');
  });

  it('an unknown key in a named backend is an error, not a silent default', async () => {
    const dir = configDir('confd.toml', '[backends.x]\nbackend = "etcd"\nnode = ["a"]\npasword = "x"\n');
    expect(formatError(await loadSettings({ confdir: dir }, {}).catch((e: unknown) => e))).toContain('backends.x.pasword is not a backend setting');
  });
});
