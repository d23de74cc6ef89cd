/** The operations settings: --metrics-addr and exec mode's, from flags, env and confd.toml. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSignalName } from '../../src/config/coerce.js';
import { parseListenAddress } from '../../src/config/listen-address.js';
import { loadSettings } from '../../src/config/load.js';

const none = { systemConfigFile: null };

describe('operations settings', () => {
  it('default to off: no metrics listener, no exec child; SIGTERM and 30s to stop a child', async () => {
    const { settings } = await loadSettings({ confdir: '/nonexistent' }, {}, {}, none);
    expect(settings).toMatchObject({ metricsAddr: '', exec: '', execReloadSignal: '', execKillSignal: 'SIGTERM', execKillTimeoutMs: 30_000 });
  });

  it('read flags, CONFD_* variables and confd.toml keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'confd-ops-'));
    writeFileSync(join(dir, 'confd.toml'), 'metrics_addr = "127.0.0.1:9100"\nexec = ["nginx", "-g", "daemon off;"]\nexec_reload_signal = "HUP"\nexec_kill_timeout = "5s"\n');
    const { settings } = await loadSettings({ confdir: dir, execKillSignal: 'sigquit' }, { CONFD_EXEC_KILL_TIMEOUT: '7s' }, {}, none);
    expect(settings).toMatchObject({ metricsAddr: '127.0.0.1:9100', exec: ['nginx', '-g', 'daemon off;'], execReloadSignal: 'SIGHUP', execKillSignal: 'SIGQUIT', execKillTimeoutMs: 7000 });
  });

  it('refuse a bad address, an unknown signal and an empty kill signal, naming the setting', async () => {
    await expect(loadSettings({ confdir: '/x', metricsAddr: '9100' }, {}, {}, none)).rejects.toThrow(/metrics_addr: expected host:port such as 127.0.0.1:9100, got "9100"/);
    await expect(loadSettings({ confdir: '/x', execReloadSignal: 'SIGNOPE' }, {}, {}, none)).rejects.toThrow(/--exec-reload-signal: expected a signal name such as SIGHUP or HUP/);
    await expect(loadSettings({ confdir: '/x', execKillSignal: '' }, {}, {}, none)).rejects.toThrow(/exec_kill_signal: must name a signal/);
  });
});

describe('parseListenAddress', () => {
  it('reads host:port, [v6]:port and :port (every interface)', () => {
    expect(parseListenAddress('127.0.0.1:9100')).toEqual({ host: '127.0.0.1', port: 9100 });
    expect(parseListenAddress('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListenAddress(':9100')).toEqual({ host: '', port: 9100 });
    expect(parseListenAddress('localhost:99999')).toBeUndefined();
    expect(parseListenAddress('http://x:1')).toBeUndefined();
  });
});

describe('parseSignalName', () => {
  it('accepts HUP, sighup and SIGHUP; empty is none', () => {
    expect(parseSignalName('HUP')).toBe('SIGHUP');
    expect(parseSignalName(' sigusr1 ')).toBe('SIGUSR1');
    expect(parseSignalName('')).toBe('');
    expect(parseSignalName('SIGFOO')).toBeUndefined();
  });
});
