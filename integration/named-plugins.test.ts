/**
 * Named backends that are plugins: each named backend starts its plugin once, and every
 * resource reading it shares that process; `confd plugins list` shows what each
 * configured backend resolves to.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, runConfd } from '../test/helpers/run-confd.js';
import { workspace, type Workspace } from './watch/daemon.js';

const TSMEM = join(REPO_ROOT, 'integration', 'plugins', 'ts', 'confd-database-tsmem');

let ws: Workspace | undefined;
afterEach(() => ws?.cleanup());

describe('named plugin backends', () => {
  it('start once per named backend, shared by every resource that reads it', async () => {
    ws = workspace();
    const blue = join(ws.data, 'blue.json');
    const green = join(ws.data, 'green.json');
    writeFileSync(blue, JSON.stringify({ '/svc/colour': 'blue', '/svc/port': '1' }));
    writeFileSync(green, JSON.stringify({ '/svc/colour': 'green' }));
    writeFileSync(
      join(ws.confdir, 'confd.toml'),
      `backend = "env"\n\n[backends.blue]\nbackend = "${TSMEM}"\n[backends.blue.backend_config]\ndataFile = "${blue}"\n\n` +
        `[backends.green]\nbackend = "${TSMEM}"\n[backends.green.backend_config]\ndataFile = "${green}"\n`,
    );
    ws.template('t.tmpl', '{{getv "/svc/colour"}}:{{getv "/svc/port"}}\n');
    for (const [name, backends] of [['a', '["blue"]'], ['b', '["blue", "green"]'], ['c', '["green", "blue"]']]) {
      ws.resource(name, `[template]\nsrc = "t.tmpl"\ndest = "${join(ws.out, name)}"\nkeys = ["/svc"]\nbackends = ${backends}\n`);
    }
    const run = await runConfd(['render', '--confdir', ws.confdir, '--log-level', 'debug']);
    expect(run.code, run.stderr).toBe(0);
    expect(ws.read(join(ws.out, 'a'))).toBe('blue:1\n');
    expect(ws.read(join(ws.out, 'b'))).toBe('green:1\n');
    expect(ws.read(join(ws.out, 'c'))).toBe('blue:1\n');
    expect(run.stderr.split('\n').filter((l) => /DEBUG \[plugin\.[^\]]+\] plugin started path=/.test(l))).toHaveLength(2);
    expect(run.stderr).not.toMatch(/backend set to env/); // no resource reads the default backend: it is not opened
  });

  it('plugins list shows every configured backend and what it resolves to', async () => {
    ws = workspace();
    writeFileSync(join(ws.confdir, 'confd.toml'), `backend = "etcdv3"\n\n[backends.mem]\nbackend = "${TSMEM}"\n\n[backends.gone]\nbackend = "nosuchplugin"\n`);
    const run = await runConfd(['plugins', 'list', '--confdir', ws.confdir], { env: { PATH: '/usr/bin:/bin' } });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('configured backends:');
    expect(lines).toContain(`default          etcdv3           built-in`);
    expect(lines).toContain(`mem              ${TSMEM.padEnd(16)} ${TSMEM}`);
    expect(lines.find((l) => l.startsWith('gone '))).toMatch(/error: invalid backend "nosuchplugin": no built-in and no confd-database-nosuchplugin executable/);
  });
});
