/** `[plugins.<name>]`, `--plugin-sha256`, and the plugin limits: validated at load, with the setting named. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/load.js';
import { formatError } from '../../src/errors.js';
import { formatSize, parseSize } from '../../src/config/size.js';
import { formatDuration } from '../../src/config/duration.js';

const HEX = 'ab'.repeat(32);

function confdirWith(text: string, name = 'confd.toml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'confd-plugin-settings-'));
  writeFileSync(join(dir, name), text);
  return dir;
}

async function loadError(cli: Record<string, unknown>, env: Record<string, string> = {}): Promise<string> {
  return formatError(await loadSettings(cli, env).then(() => new Error('loaded'), (e: unknown) => e));
}

describe('[plugins.<name>] tables', () => {
  it('reads sha256, reattach, user, group and env_allowlist (TOML and YAML)', async () => {
    const toml = confdirWith(`backend = "redisx"\n[plugins.redisx]\nsha256 = "${HEX.toUpperCase()}"\nuser = "nobody"\ngroup = "nogroup"\nenv_allowlist = ["PATH"]\n[plugins.etcd]\nreattach = "unix:/run/confd/etcd.sock"\n`);
    const { settings } = await loadSettings({ confdir: toml }, {});
    expect(settings.plugins).toEqual({
      redisx: { sha256: HEX, user: 'nobody', group: 'nogroup', envAllowlist: ['PATH'] },
      etcd: { reattach: 'unix:/run/confd/etcd.sock' },
    });
    const yaml = confdirWith('plugins:\n  x:\n    reattach: "tcp:127.0.0.1:7000"\n', 'confd.yaml');
    expect((await loadSettings({ confdir: yaml }, {})).settings.plugins).toEqual({ x: { reattach: 'tcp:127.0.0.1:7000' } });
  });

  it('refuses an unknown key (a misspelt sha256 must not leave a plugin unpinned), with file and line', async () => {
    const dir = confdirWith(`[plugins.redisx]\nsha265 = "${HEX}"\n`);
    expect(await loadError({ confdir: dir })).toMatch(/confd\.toml:2: plugins\.redisx\.sha265: unknown plugin setting \(known: sha256, reattach, user, group, env_allowlist\)/);
  });

  it('validates each value', async () => {
    expect(await loadError({ confdir: confdirWith('[plugins.x]\nsha256 = "1234"\n') })).toContain('plugins.x.sha256: expected 64 hex digits');
    expect(await loadError({ confdir: confdirWith('[plugins.x]\nreattach = "tcp:10.0.0.1:80"\n') })).toContain('plugins.x.reattach: expected "unix:/absolute/path" or "tcp:127.0.0.1:PORT" (loopback only)');
    expect(await loadError({ confdir: confdirWith('[plugins.x]\nreattach = "unix:relative.sock"\n') })).toContain('plugins.x.reattach');
    expect(await loadError({ confdir: confdirWith('[plugins.x]\nuser = "root; rm -rf /"\n') })).toContain('plugins.x.user: expected an account name or numeric id');
    expect(await loadError({ confdir: confdirWith('[plugins.x]\nenv_allowlist = "PATH"\n') })).toContain('plugins.x.env_allowlist: expected a list');
  });

  it('refuses reattach together with plugin_require_mtls, or with settings that only apply to plugins confd starts', async () => {
    expect(await loadError({ confdir: confdirWith('plugin_require_mtls = true\n[plugins.x]\nreattach = "unix:/run/x.sock"\n') })).toContain('a reattached plugin is reached in plaintext');
    expect(await loadError({ confdir: confdirWith(`[plugins.x]\nreattach = "unix:/run/x.sock"\nsha256 = "${HEX}"\n`) })).toContain('apply only to plugins confd starts');
  });
});

describe('--plugin-sha256 name=hex', () => {
  it('pins a plugin, over the file\'s pin, from the flag or CONFD_PLUGIN_SHA256', async () => {
    const dir = confdirWith(`[plugins.x]\nsha256 = "${'00'.repeat(32)}"\nuser = "nobody"\n`);
    const { settings } = await loadSettings({ confdir: dir, pluginSha256: [`x=${HEX}`, `y=${HEX}`] }, {});
    expect(settings.plugins).toEqual({ x: { sha256: HEX, user: 'nobody' }, y: { sha256: HEX } });
    expect((await loadSettings({ confdir: '/nonexistent' }, { CONFD_PLUGIN_SHA256: `z=${HEX}` })).settings.plugins).toEqual({ z: { sha256: HEX } });
  });

  it('names the flag on a bad value', async () => {
    expect(await loadError({ confdir: '/nonexistent', pluginSha256: ['nohex'] })).toContain('--plugin-sha256: expected name=<64 hex digits>, got "nohex"');
    expect(await loadError({ confdir: '/nonexistent', pluginSha256: ['x=zz'] })).toContain('--plugin-sha256: expected 64 hex digits');
  });
});

describe('deadlines and limits', () => {
  it('defaults: 30 s backend timeout and health interval, 256 MiB messages, mTLS not required', async () => {
    const { settings } = await loadSettings({ confdir: '/nonexistent' }, {});
    expect(settings).toMatchObject({ backendTimeoutMs: 30_000, pluginHealthIntervalMs: 30_000, pluginMaxMessageBytes: 256 * 1024 * 1024, pluginRequireMtls: false });
  });

  it('reads them from flags, env and the file', async () => {
    const dir = confdirWith('backend_timeout = "5s"\nplugin_max_message_size = "64MiB"\nplugin_require_mtls = true\nplugin_health_interval = "0"\n');
    const { settings } = await loadSettings({ confdir: dir, backendTimeoutMs: '1500ms' }, { CONFD_PLUGIN_MAX_MESSAGE_SIZE: '1KiB' });
    expect(settings).toMatchObject({ backendTimeoutMs: 1500, pluginMaxMessageBytes: 1024, pluginRequireMtls: true, pluginHealthIntervalMs: 0 });
  });

  it('refuses a zero backend timeout and a bad size', async () => {
    expect(await loadError({ confdir: '/nonexistent', backendTimeoutMs: '0s' })).toContain('backend_timeout: must be greater than 0');
    expect(await loadError({ confdir: '/nonexistent', pluginMaxMessageBytes: '12 parsecs' })).toContain('--plugin-max-message-size: expected a size such as 256MiB');
  });

  it('parses and prints sizes and durations', () => {
    expect(parseSize('256MiB')).toBe(256 * 1024 * 1024);
    expect(parseSize('4096')).toBe(4096);
    expect(parseSize('0')).toBeUndefined();
    expect(parseSize('1MB')).toBeUndefined();
    expect(formatSize(1024)).toBe('1 KiB');
    expect(formatSize(256 * 1024 * 1024)).toBe('256 MiB');
    expect(formatDuration(1000)).toBe('1s');
    expect(formatDuration(500)).toBe('500ms');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(120_000)).toBe('2m');
  });
});
