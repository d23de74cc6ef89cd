/**
 * Checks without side effects, through the real CLI: `confd check` and `--check-config`
 * (offline: a bad template is reported with file:line and no backend is contacted),
 * `render --stdout` (prints, writes nothing, runs no command) and `--preflight`
 * (a real etcd answers, a dead one is reported, exit 1).
 */
import { Etcd3 } from 'etcd3';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runConfd } from '../../test/helpers/run-confd.js';
import { EtcdCluster, haveEtcd } from '../servers/etcd.js';
import { freePort } from '../servers/server-process.js';
import { COUNTING_PLUGIN } from '../watch/counting-plugin.js';
import { workspace, type Workspace } from '../watch/daemon.js';

let ws: Workspace | undefined;
afterEach(() => ws?.cleanup());

/** A good Handlebars resource and a good Go one; their output goes to ws.out. */
function goodConfdir(): Workspace {
  const w = workspace();
  w.template('a.tmpl', 'a={{getv "/a"}}\n');
  w.template('b.tmpl', 'b={{ getv "/b" }}');
  w.resource('a', `[template]\nsrc = "a.tmpl"\ndest = "${join(w.out, 'a.conf')}"\nkeys = ["/a"]\nreload_cmd = "touch ${join(w.root, 'reloaded')}"\n`);
  w.resource('b', `[template]\nsrc = "b.tmpl"\ndest = "${join(w.out, 'b.conf')}"\nkeys = ["/b"]\nengine = "go"\ncheck_cmd = "touch ${join(w.root, 'checked')}"\n`);
  return w;
}

describe('confd check', () => {
  it('passes a good confdir without contacting the backend (etcd on a dead port)', async () => {
    ws = goodConfdir();
    const dead = await freePort();
    const run = await runConfd(['check', '--confdir', ws.confdir, '--backend', 'etcd', '--node', `http://127.0.0.1:${dead}`]);
    expect(run.stderr).toMatch(/INFO check passed: 2 resource\(s\), 2 template\(s\), 1 backend\(s\)/);
    expect(run.code).toBe(0);
  });

  it('resolves a plugin backend without starting it', async () => {
    ws = goodConfdir();
    const callLog = join(ws.root, 'calls.log');
    const dataFile = join(ws.data, 'values.json');
    writeFileSync(dataFile, '{}');
    writeFileSync(join(ws.confdir, 'confd.toml'), `backend = "${COUNTING_PLUGIN}"\n[backend_config]\ndataFile = "${dataFile}"\ncallLog = "${callLog}"\n`);
    const run = await runConfd(['check', '--confdir', ws.confdir]);
    expect(run.stderr).toMatch(/check passed: 2 resource\(s\), 2 template\(s\), 1 backend\(s\)/);
    expect(run.code).toBe(0);
    expect(existsSync(callLog)).toBe(false); // never started, never configured
    const render = await runConfd(['render', '--confdir', ws.confdir, '--noop']);
    expect(existsSync(callLog)).toBe(true); // the same settings do start it when rendering
    expect(render.code).not.toBeNull();
  });

  it('lists every problem with file:line — a resource file, a Handlebars and a Go template, an unknown backend — and exits 1', async () => {
    ws = goodConfdir();
    ws.template('a.tmpl', 'line one\n{{#if x}}\nnever closed\n');
    ws.template('b.tmpl', 'ok\n{{ getv "/b" \n');
    const broken = ws.resource('c', `[template]\nsrc = "a.tmpl"\ndest = "/tmp/x"\nkeys = 3\n`);
    const named = ws.resource('d', `[template]\nsrc = "a.tmpl"\ndest = "/tmp/y"\nkeys = ["/d"]\nbackend = "nosuch"\n`);
    const run = await runConfd(['check', '--confdir', ws.confdir, '--backend', 'no-such-plugin']);
    const errors = run.stderr.split('\n').filter((l) => / ERROR /.test(l));
    expect(errors.find((l) => l.includes(`${broken}:4: keys: expected a list of strings`))).toBeDefined();
    expect(errors.find((l) => l.includes(`${named}:5: backend: unknown backend "nosuch"`))).toBeDefined();
    expect(errors.find((l) => l.includes(`${join(ws!.confdir, 'templates', 'a.tmpl')}:4: Parse error on line 4`))).toBeDefined();
    expect(errors.find((l) => /template: b\.tmpl:3: unclosed action/.test(l) && l.includes(join(ws!.confdir, 'conf.d', 'b.toml')))).toBeDefined();
    expect(errors.find((l) => l.includes('invalid backend "no-such-plugin"'))).toBeDefined();
    expect(errors.at(-1)).toMatch(/check failed: 5 problem\(s\)/);
    expect(run.code).toBe(1);
  });

  it('is also --check-config on render and watch (nothing rendered, nothing watched), with JSON problems under --log-format json', async () => {
    ws = goodConfdir();
    ws.template('a.tmpl', '{{getv "/a"\n');
    for (const command of ['render', 'watch']) {
      const run = await runConfd([command, '--check-config', '--confdir', ws.confdir, '--backend', 'env', '--log-format', 'json'], { env: { A: '1', B: '2' } });
      expect(run.code).toBe(1);
      const records = run.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(records[0]).toMatchObject({ level: 'error', file: join(ws.confdir, 'templates', 'a.tmpl'), line: 1, resource: join(ws.confdir, 'conf.d', 'a.toml') });
      expect(readdirSync(ws.out)).toEqual([]);
    }
    ws.template('a.tmpl', 'a={{getv "/a"}}\n');
    const ok = await runConfd(['watch', '-check-config', '--confdir', ws.confdir, '--backend', 'env']);
    expect(ok.code).toBe(0);
    expect(readdirSync(ws.out)).toEqual([]);
  });
});

describe('confd render --stdout', () => {
  it('prints each rendered file under a header naming dest and resource; writes nothing and runs no command', async () => {
    ws = goodConfdir();
    const run = await runConfd(['render', '--stdout', '--confdir', ws.confdir, '--backend', 'env'], { env: { A: 'one', B: 'two' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `==> ${join(ws.out, 'a.conf')} <== (resource ${join(ws.confdir, 'conf.d', 'a.toml')})\na=one\n` +
        `==> ${join(ws.out, 'b.conf')} <== (resource ${join(ws.confdir, 'conf.d', 'b.toml')})\nb=two\n`,
    );
    expect(readdirSync(ws.out)).toEqual([]);
    expect(existsSync(join(ws.root, 'reloaded'))).toBe(false);
    expect(existsSync(join(ws.root, 'checked'))).toBe(false);
  });

  it('creates no directory and reports a failing resource with exit 1, still printing the others', async () => {
    ws = goodConfdir();
    const deep = join(ws.out, 'new', 'dir', 'c.conf');
    ws.resource('c', `[template]\nsrc = "a.tmpl"\ndest = "${deep}"\nkeys = ["/a"]\nmake_directories = true\n`);
    const run = await runConfd(['render', '--stdout', '--confdir', ws.confdir, '--backend', 'env'], { env: { A: 'one' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`==> ${deep} <==`);
    expect(run.stderr).toMatch(/key does not exist: \/b/);
    expect(existsSync(join(ws.out, 'new'))).toBe(false);
  });
});

describe.runIf(haveEtcd())('--preflight', () => {
  let etcd: EtcdCluster;
  beforeAll(async () => {
    etcd = await EtcdCluster.start(1);
    const client = new Etcd3({ hosts: etcd.endpoints });
    await Promise.all([client.put('/a').value('1'), client.put('/b').value('2'), client.put('/b/c').value('3'), client.put('/zzz').value('x')]);
    client.close();
  });
  afterAll(() => etcd?.stop());

  it('opens every backend the resources read, fetches their keys and reports each; a dead one fails the run', async () => {
    ws = goodConfdir();
    const dead = await freePort();
    writeFileSync(join(ws.confdir, 'confd.toml'), `backend = "etcd"\nnodes = ["${etcd.endpoints[0]}"]\n\n[backends.gone]\nbackend = "etcd"\nnodes = ["http://127.0.0.1:${dead}"]\n`);
    const ok = await runConfd(['render', '--preflight', '--confdir', ws.confdir, '--backend-timeout', '3s', '--log-format', 'json']);
    const records = ok.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.find((r) => r.backend === 'etcd' && r.keys === 3)).toMatchObject({ level: 'info', prefixes: 2, msg: expect.stringMatching(/^preflight: backend etcd: 3 key\(s\) under 2 prefix\(es\); opened in \d+ms, fetched in \d+ms$/) });
    expect(ok.code).toBe(0);
    expect(readdirSync(ws.out)).toEqual([]);

    mkdirSync(join(ws.confdir, 'conf.d', 'more'));
    writeFileSync(join(ws.confdir, 'conf.d', 'more', 'g.toml'), `[template]\nsrc = "a.tmpl"\ndest = "${join(ws.out, 'g.conf')}"\nkeys = ["/a"]\nbackend = "gone"\n`);
    const failed = await runConfd(['watch', '--preflight', '--confdir', ws.confdir, '--backend-timeout', '2s']);
    expect(failed.stderr).toMatch(/INFO preflight: backend etcd: 3 key\(s\)/);
    expect(failed.stderr).toMatch(/ERROR .*\(preflight\)/);
    expect(failed.stderr).toMatch(/preflight failed: 1 of 2 backend\(s\) failed/);
    expect(failed.code).toBe(1);
    expect(readdirSync(ws.out)).toEqual([]);
  });
});
