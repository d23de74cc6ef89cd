/** src/backends: one resolution for every caller, and errors that name the setting. */
import { describe, expect, it } from 'vitest';
import { backendIdentity, backendSpec, openDatabase, resolveBackend } from '../../src/backends/index.js';
import { defaultSettings } from '../../src/config/settings.js';
import { ConfdError, formatError } from '../../src/errors.js';
import { Logger } from '../../src/log/logger.js';

const quiet = new Logger({ level: 'error', sink: { write: () => {} } });

describe('resolveBackend', () => {
  it('maps built-in names and aliases to the canonical built-in', async () => {
    expect(await resolveBackend('env', [])).toEqual({ kind: 'builtin', name: 'env' });
    expect(await resolveBackend('etcdv3', [])).toEqual({ kind: 'builtin', name: 'etcd' });
  });

  it('names the setting and every place searched when nothing matches', async () => {
    const error = await resolveBackend('nosuchplugin', []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfdError);
    expect((error as ConfdError).context.setting).toBe('backend');
    expect(formatError(error)).toContain('no built-in and no confd-database-nosuchplugin executable in --plugin-dir, the confd install directory or PATH');
  });

  it('an explicit reattach wins, even over a built-in name', async () => {
    expect(await resolveBackend('etcd', [], { etcd: { reattach: 'unix:/run/confd/etcd.sock' } })).toEqual({ kind: 'reattach', name: 'etcd', address: 'unix:/run/confd/etcd.sock' });
    expect(await resolveBackend('etcd', [], { other: { reattach: 'unix:/run/x.sock' } })).toEqual({ kind: 'builtin', name: 'etcd' });
  });

  it('checks an explicit path', async () => {
    expect(formatError(await resolveBackend('/nonexistent/confd-database-x', []).catch((e: unknown) => e))).toContain('plugin /nonexistent/confd-database-x does not exist');
  });
});

describe('openDatabase', () => {
  it('a backend that rejects its settings fails with the backend and setting named', async () => {
    const spec = backendSpec({ ...defaultSettings(), backend: 'file' });
    const error = await openDatabase(spec, quiet).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfdError);
    expect((error as ConfdError).context.setting).toBe('file');
    expect(formatError(error)).toContain('backend file: the file backend needs at least one --file');
  });

  it('opens a built-in in-process: no process to lose', async () => {
    const opened = await openDatabase(backendSpec({ ...defaultSettings(), backend: 'env' }), quiet);
    expect(opened.name).toBe('env');
    expect(opened.exited).toBeUndefined();
    expect(opened.gone()).toBe(false);
    await opened.database.close();
  });
});

describe('backendIdentity', () => {
  it('changes exactly when a setting that opening reads changes', () => {
    const base = { ...defaultSettings(), backend: 'etcd', nodes: ['http://127.0.0.1:2379'] };
    const id = backendIdentity(backendSpec(base));
    expect(backendIdentity(backendSpec({ ...base, interval: 5, noop: true }))).toBe(id);
    expect(backendIdentity(backendSpec({ ...base, nodes: ['http://127.0.0.1:2380'] }))).not.toBe(id);
    expect(backendIdentity(backendSpec({ ...base, password: 'x' }))).not.toBe(id);
    expect(backendIdentity(backendSpec({ ...base, backendConfig: { token: 'y' } }))).not.toBe(id);
    expect(backendIdentity(backendSpec({ ...base, pluginStartTimeoutMs: 1 }))).not.toBe(id);
    expect(backendIdentity(backendSpec({ ...base, backendTimeoutMs: 1000 }))).not.toBe(id);
    expect(backendIdentity(backendSpec({ ...base, pluginRequireMtls: true }))).not.toBe(id);
    expect(backendIdentity(backendSpec({ ...base, pluginMaxMessageBytes: 1024 }))).not.toBe(id);
    expect(backendIdentity(backendSpec({ ...base, plugins: { x: { user: 'nobody' } } }))).not.toBe(id);
  });
});
