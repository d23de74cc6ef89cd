/**
 * What confd trusts a plugin with, tested with real processes: checksum pinning
 * (refused before it runs), `user =` (the plugin's uid, as root in CI), the environment
 * (`env_allowlist`), and no file descriptor beyond stdio.
 */
import { execFileSync, spawn, type StdioOptions } from 'node:child_process';
import { appendFileSync, chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONFD_BIN, runConfd } from '../test/helpers/run-confd.js';
import { buildGoBinaries, GO_INSTALL_HINT, goToolchainAvailable, type GoBinaries } from './helpers/go-build.js';
import { newMarker, processesWithMarker } from './helpers/processes.js';
import { requireTool } from './helpers/require-tool.js';

const haveGo = requireTool(goToolchainAvailable(), 'the Go toolchain with go-plugin 1.0.1', GO_INSTALL_HINT);
let go: GoBinaries;
beforeAll(() => {
  if (haveGo) go = buildGoBinaries();
}, 300_000);

const sha256sum = (path: string) => execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0];

/**
 * A world-readable workspace (a plugin may run as nobody): the Go plugin as
 * `confd-database-<name>` behind a shell wrapper that records each run, a data file, and
 * a resource rendering `template`.
 */
function setup(name: string, template: string, keys: string[], confdToml = '') {
  const root = mkdtempSync(join(tmpdir(), 'confd-trust-'));
  chmodSync(root, 0o755);
  const bin = join(root, 'bin');
  const confdir = join(root, 'confdir');
  for (const dir of [bin, join(confdir, 'conf.d'), join(confdir, 'templates')]) mkdirSync(dir, { recursive: true, mode: 0o755 });
  copyFileSync(go.plugin, join(bin, 'gotest-binary'));
  chmodSync(join(bin, 'gotest-binary'), 0o755);
  const ranFile = join(root, 'ran');
  const plugin = join(bin, `confd-database-${name}`);
  writeFileSync(plugin, `#!/bin/sh\necho ran >> "${ranFile}"\nexec "${join(bin, 'gotest-binary')}"\n`, { mode: 0o755 });
  const data = join(root, 'data.json');
  writeFileSync(data, JSON.stringify({ '/app/name': 'demo' }), { mode: 0o644 });
  writeFileSync(join(confdir, 'templates', 'out.tmpl'), template);
  writeFileSync(join(confdir, 'conf.d', 'out.toml'), `[template]\nsrc = "out.tmpl"\ndest = "${join(root, 'out.txt')}"\nkeys = ${JSON.stringify(keys)}\n`);
  writeFileSync(join(confdir, 'confd.toml'), `backend = "${name}"\nplugin_dir = ["${bin}"]\n${confdToml}\n[backend_config]\ndataFile = "${data}"\n`);
  return {
    plugin,
    confdir,
    out: () => (existsSync(join(root, 'out.txt')) ? readFileSync(join(root, 'out.txt'), 'utf8') : undefined),
    runs: () => (existsSync(ranFile) ? readFileSync(ranFile, 'utf8').split('\n').filter(Boolean).length : 0),
  };
}

/** Adds `[plugins.<name>] sha256 = …` to the workspace's confd.toml. */
function pin(confdir: string, name: string, sum: string): void {
  const file = join(confdir, 'confd.toml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('[backend_config]', `[plugins.${name}]\nsha256 = "${sum}"\n[backend_config]`));
}

describe.runIf(haveGo)('checksum pinning', () => {
  it('a pinned plugin whose file matches runs; `confd plugins inspect` prints the sum to pin', async () => {
    const s = setup('pinned', 'name={{getv "/app/name"}}\n', ['/app']);
    const sum = sha256sum(s.plugin);
    const inspect = await runConfd(['plugins', 'inspect', 'pinned', '--confdir', s.confdir]);
    expect(inspect.code).toBe(0);
    expect(inspect.stdout).toContain(`sha256:     ${sum}  (pin it: [plugins.pinned] sha256 = "${sum}")`);

    pin(s.confdir, 'pinned', sum);
    const run = await runConfd(['render', '--confdir', s.confdir]);
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expect(s.out()).toBe('name=demo\n');
    const pinnedInspect = await runConfd(['plugins', 'inspect', 'pinned', '--confdir', s.confdir]);
    expect(pinnedInspect.stdout).toContain(`sha256:     ${sum} (pinned)`);
  });

  it('a pinned plugin whose file changed is refused before it runs, with both sums', async () => {
    const s = setup('pinned', 'name={{getv "/app/name"}}\n', ['/app']);
    const pinned = sha256sum(s.plugin);
    pin(s.confdir, 'pinned', pinned);
    appendFileSync(s.plugin, '# tampered\n');
    const actual = sha256sum(s.plugin);
    const run = await runConfd(['render', '--confdir', s.confdir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`plugin pinned (${s.plugin}): checksum mismatch, refusing to run it: the file's sha256 is ${actual}, but ${pinned} is pinned`);
    expect(s.runs()).toBe(0);
    expect(s.out()).toBeUndefined();
  });

  it('--plugin-sha256 name=hex pins from the command line (and wins over the file)', async () => {
    const s = setup('pinned', 'name={{getv "/app/name"}}\n', ['/app'], `[plugins.pinned]\nsha256 = "${'0'.repeat(64)}"`);
    const good = await runConfd(['render', '--confdir', s.confdir, '--plugin-sha256', `pinned=${sha256sum(s.plugin)}`]);
    expect(good.code).toBe(0);
    expect(s.runs()).toBe(1);
    const bad = await runConfd(['render', '--confdir', s.confdir, '--plugin-sha256', `pinned=${'f'.repeat(64)}`]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`but ${'f'.repeat(64)} is pinned`);
    expect(s.runs()).toBe(1);
  });
});

const asRoot = requireTool(process.getuid?.() === 0, 'root (to start a plugin as another account)', 'run the tests as root, as CI does');

describe.runIf(haveGo && asRoot)('user = "nobody" (confd runs as root)', () => {
  it('runs the plugin as that account, without root\'s supplementary groups, and gives it exactly its socket directory', async () => {
    const nobody = execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim();
    const group = execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim();
    const s = setup('asnobody', 'uid={{getv "/_proc/uid"}} gid={{getv "/_proc/gid"}} groups={{getv "/_proc/groups"}} socketdir={{getv "/_proc/socketdir"}} name={{getv "/app/name"}}\n', ['/_proc', '/app'], '[plugins.asnobody]\nuser = "nobody"');
    const marker = newMarker();
    const run = await runConfd(['render', '--confdir', s.confdir], { env: { CONFD_TEST_MARKER: marker } });
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expect(s.out()).toBe(`uid=${nobody} gid=${group} groups= socketdir=${nobody}:700 name=demo\n`);
    expect(processesWithMarker(marker)).toEqual([]);
  });

  it('group = "…" sets the group', async () => {
    const daemonGid = execFileSync('getent', ['group', 'daemon'], { encoding: 'utf8' }).split(':')[2];
    const s = setup('asgroup', 'uid={{getv "/_proc/uid"}} gid={{getv "/_proc/gid"}}\n', ['/_proc'], '[plugins.asgroup]\nuser = "nobody"\ngroup = "daemon"');
    const run = await runConfd(['render', '--confdir', s.confdir]);
    expect(run.code).toBe(0);
    expect(s.out()).toBe(`uid=${execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim()} gid=${daemonGid}\n`);
  });

  it('names the account when it does not exist', async () => {
    const s = setup('nouser', 'x\n', ['/app'], '[plugins.nouser]\nuser = "no-such-user-here"');
    const run = await runConfd(['render', '--confdir', s.confdir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`plugin nouser (${s.plugin}): user "no-such-user-here" does not exist`);
    expect(s.runs()).toBe(0);
  });
});

describe.runIf(haveGo)('what a plugin inherits', () => {
  const template = 'secret={{getv "/_proc/env/SECRET_TOKEN" "absent"}} cookie={{#if (exists "/_proc/env/CONFD_PLUGIN_MAGIC_COOKIE")}}set{{/if}} path={{#if (exists "/_proc/env/PATH")}}set{{/if}} home={{getv "/_proc/env/HOME" "absent"}}\n';

  it('the host environment, as go-plugin passes it', async () => {
    const s = setup('envall', template, ['/_proc']);
    const run = await runConfd(['render', '--confdir', s.confdir], { env: { SECRET_TOKEN: 'hunter2' } });
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expect(s.out()).toBe(`secret=hunter2 cookie=set path=set home=${process.env.HOME}\n`);
  });

  it('only the allowlisted variables with env_allowlist (plus the protocol\'s own)', async () => {
    const s = setup('envsome', template, ['/_proc'], '[plugins.envsome]\nenv_allowlist = ["PATH"]');
    const run = await runConfd(['render', '--confdir', s.confdir], { env: { SECRET_TOKEN: 'hunter2' } });
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expect(s.out()).toBe('secret=absent cookie=set path=set home=absent\n');
  });

  it('no descriptor beyond stdio, even one confd itself inherited without close-on-exec', async () => {
    const s = setup('fds', 'fds={{getv "/_proc/fds"}}\n', ['/_proc']);
    const secret = join(mkdtempSync(join(tmpdir(), 'confd-fd-')), 'secret');
    writeFileSync(secret, 'root-only secret\n', { mode: 0o600 });
    const inherited = openSync(secret, 'r');
    // confd gets the file at fd 20 without close-on-exec (Node itself marks only its lowest descriptors).
    const stdio: StdioOptions = ['ignore', 'ignore', 'pipe', ...Array<'ignore'>(17).fill('ignore'), inherited];
    const child = spawn(process.execPath, [CONFD_BIN, 'render', '--confdir', s.confdir], { stdio });
    closeSync(inherited);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/ERROR/);
    expect(code).toBe(0);
    const fds = /^fds=(.*)\n$/.exec(s.out() ?? '')![1].split(',');
    expect(fds.slice(0, 3)).toEqual(['0', '1', '2']);
    // The plugin's fd 20 is /dev/null; nothing it holds reaches the file (the rest is the Go runtime's own).
    expect(fds).toContain('20:/dev/null');
    expect(fds.join(',')).not.toContain(secret);
  });
});
