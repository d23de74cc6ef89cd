import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../src/config/settings.js';
import { formatError } from '../../src/errors.js';
import { loadResources } from '../../src/resource/load.js';
import { parseMode } from '../../src/resource/parse-resource.js';

function confdir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'confd-res-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, 'conf.d', name, '..'), { recursive: true });
    writeFileSync(join(dir, 'conf.d', name), text);
  }
  return dir;
}

function settingsFor(dir: string, extra: Partial<Settings> = {}): Settings {
  return { ...defaultSettings(), confdir: dir, backend: 'env', ...extra };
}

describe('loading template resources', () => {
  it('reads toml and yaml recursively, in sorted order', async () => {
    const dir = confdir({
      'b.toml': '[template]\nsrc = "b.tmpl"\ndest = "/tmp/b"\nkeys = ["/b"]\n',
      'a/x.yaml': 'template:\n  src: x.tmpl\n  dest: /tmp/x\n  keys: [/x]\n  mode: "600"\n',
      'c.yml': 'template:\n  src: c.tmpl\n  dest: /tmp/c\n',
      'ignored.txt': 'nothing',
    });
    const { files } = await loadResources(settingsFor(dir));
    expect(files.map((f) => f.file)).toEqual([join(dir, 'conf.d/a/x.yaml'), join(dir, 'conf.d/b.toml'), join(dir, 'conf.d/c.yml')]);
    const [x, , c] = files.map((f) => f.resource!);
    expect(x.src).toBe(join(dir, 'templates/x.tmpl'));
    expect(x.mode).toBe(0o600);
    expect(c.keys).toEqual([]);
    expect(c.checkCmdTimeoutMs).toBe(30_000);
    expect(c.reloadCmdTimeoutMs).toBe(60_000);
    expect(c.makeDirectories).toBe(false);
  });

  it('keeps the resource prefix its own: the global prefix belongs to the backend (src/backends applies it)', async () => {
    const dir = confdir({ 'a.toml': '[template]\nsrc = "a"\ndest = "/tmp/a"\nprefix = "myapp"\nkeys = ["/db", "cache/"]\n' });
    const { files } = await loadResources(settingsFor(dir, { prefix: 'production' }));
    expect(files[0].resource!.prefix).toBe('/myapp');
    expect(files[0].resource!.keys).toEqual(['/myapp/db', '/myapp/cache']);
    expect(files[0].resource!.backends).toEqual(['default']);
  });

  it('reads every field', async () => {
    const dir = confdir({
      'full.toml': [
        '[template]', 'src = "s"', 'dest = "/tmp/d"', 'mode = "0755"', 'uid = 1', 'gid = 2', 'owner = "nobody"', 'group = "nogroup"',
        'check_cmd = "true {{.src}}"', 'reload_cmd = "true"', 'make_directories = true', 'check_cmd_timeout = "5s"', 'reload_cmd_timeout = "1m"', 'wait = "1s:3s"',
      ].join('\n'),
    });
    const r = (await loadResources(settingsFor(dir))).files[0].resource!;
    expect(r).toMatchObject({
      mode: 0o755, uid: 1, gid: 2, owner: 'nobody', group: 'nogroup', checkCmd: 'true {{.src}}', reloadCmd: 'true',
      makeDirectories: true, checkCmdTimeoutMs: 5000, reloadCmdTimeoutMs: 60_000, wait: { minMs: 1000, maxMs: 3000 },
    });
  });

  it('reports malformed TOML with file:line', async () => {
    const dir = confdir({ 'bad.toml': '[template]\nsrc = "a"\ndest = \n' });
    const { files } = await loadResources(settingsFor(dir));
    expect(formatError(files[0].error)).toMatch(new RegExp(`^${join(dir, 'conf.d/bad.toml')}:3:\\d+: invalid TOML`));
  });

  it('reports malformed YAML with file:line', async () => {
    const dir = confdir({ 'bad.yaml': 'template:\n  src: a\n  dest: [unclosed\n' });
    const { files } = await loadResources(settingsFor(dir));
    expect(formatError(files[0].error)).toMatch(new RegExp(`^${join(dir, 'conf.d/bad.yaml')}:\\d+:\\d+: invalid YAML`));
  });

  it('reports a bad field with its line', async () => {
    const dir = confdir({ 'm.toml': '[template]\nsrc = "a"\ndest = "/tmp/a"\nmode = "rwx"\n' });
    const { files } = await loadResources(settingsFor(dir));
    expect(formatError(files[0].error)).toBe(`${join(dir, 'conf.d/m.toml')}:4: mode: invalid file mode "rwx": expected octal digits such as "0644"`);
  });

  it('requires src and dest', async () => {
    const dir = confdir({ 'n.toml': '[template]\ndest = "/tmp/a"\n' });
    const { files } = await loadResources(settingsFor(dir));
    expect(formatError(files[0].error)).toContain('src: is required');
  });

  it('a missing confdir renders nothing, as in confd', async () => {
    const result = await loadResources(settingsFor('/nonexistent/confdir'));
    expect(result.confdirMissing).toBe(true);
    expect(result.files).toEqual([]);
  });
});

describe('mode strings are octal, with or without a leading 0', () => {
  it.each([
    ['644', 0o644], ['0644', 0o644], ['0o600', 0o600], ['4755', 0o4755], ['0755', 0o755],
  ])('%s', (text, mode) => expect(parseMode(text)).toBe(mode));
  it.each(['rw', '0x1a4', '9', '77777', ''])('rejects %j', (text) => expect(parseMode(text)).toBeUndefined());
});

describe('choosing backends', () => {
  const withNamed = (dir: string) => settingsFor(dir, { namedBackends: { etcd: { values: { backend: 'etcd' } }, secrets: { values: { backend: 'file' } } } });

  it('backend = "x" or backends = [...] in merge order; default otherwise', async () => {
    const dir = confdir({
      'a.toml': '[template]\nsrc = "a"\ndest = "/tmp/a"\nkeys = ["/a"]\nbackend = "etcd"\n',
      'b.toml': '[template]\nsrc = "b"\ndest = "/tmp/b"\nkeys = ["/b"]\nbackends = ["default", "etcd", "secrets"]\n',
      'c.yaml': 'template:\n  src: c\n  dest: /tmp/c\n  keys: [/c]\n',
    });
    const { files } = await loadResources(withNamed(dir));
    expect(files.map((f) => f.resource?.backends)).toEqual([['etcd'], ['default', 'etcd', 'secrets'], ['default']]);
  });

  it('an unknown backend is an error at load time naming the resource file and line', async () => {
    const dir = confdir({ 'a.toml': '[template]\nsrc = "a"\ndest = "/tmp/a"\nkeys = ["/a"]\nbackends = ["etcd", "vault"]\n' });
    const { files } = await loadResources(withNamed(dir));
    expect(formatError(files[0].error)).toBe(
      `${join(dir, 'conf.d', 'a.toml')}:5: backends: unknown backend "vault" (backends: default, etcd, secrets; define others with [backends.<name>] in confd.toml)`,
    );
  });

  it('backend and backends together is an error', async () => {
    const dir = confdir({ 'a.toml': '[template]\nsrc = "a"\ndest = "/tmp/a"\nbackend = "etcd"\nbackends = ["etcd"]\n' });
    const { files } = await loadResources(withNamed(dir));
    expect(formatError(files[0].error)).toContain('backends: set either backend or backends, not both');
  });
});
