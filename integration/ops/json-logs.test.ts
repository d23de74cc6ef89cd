/**
 * `--log-format json`: every line is one JSON object with time, level and msg, and the
 * resource, dest, changes, backend and error as fields; setup errors too (a bad flag
 * value, an unknown flag). Text logs keep confd's layout.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runConfd } from '../../test/helpers/run-confd.js';
import { freePort } from '../servers/server-process.js';
import { workspace, type Workspace } from '../watch/daemon.js';

let ws: Workspace | undefined;
afterEach(() => ws?.cleanup());

const records = (stderr: string) => stderr.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

describe('--log-format json', () => {
  it('gives a render its fields: resource, dest and changes for a write, resource and error for a failure', async () => {
    ws = workspace();
    const data = join(ws.data, 'd.yaml');
    writeFileSync(data, 'k: v\npassword: s3cret-value\n');
    ws.template('ok.tmpl', 'k={{getv "/k"}} p={{getv "/password"}}\n');
    ws.template('bad.tmpl', '{{getv "/missing"}}\n');
    const ok = ws.resource('ok', `[template]\nsrc = "ok.tmpl"\ndest = "${join(ws.out, 'ok.conf')}"\nkeys = ["/"]\n`);
    const bad = ws.resource('bad', `[template]\nsrc = "bad.tmpl"\ndest = "${join(ws.out, 'bad.conf')}"\nkeys = ["/"]\n`);
    const run = await runConfd(['render', '--confdir', ws.confdir, '--backend', 'file', '--file', data, '--log-format', 'json']);
    expect(run.code).toBe(1);
    const lines = records(run.stderr);
    for (const line of lines) expect(Object.keys(line).slice(0, 3)).toEqual(['time', 'level', 'msg']);
    expect(lines.find((l) => String(l.msg).includes('out of sync'))).toMatchObject({ level: 'info', resource: ok, dest: join(ws.out, 'ok.conf'), changes: 'created' });
    expect(lines.find((l) => String(l.msg).includes('has been updated'))).toMatchObject({ resource: ok, dest: join(ws.out, 'ok.conf') });
    expect(lines.find((l) => l.level === 'error')).toMatchObject({ resource: bad, dest: join(ws.out, 'bad.conf'), error: expect.stringMatching(/missing/), line: 1 });
    // Secret values stay out of the log.
    expect(run.stderr).not.toContain('s3cret-value');
  });

  it('names the backend of a backend failure', async () => {
    ws = workspace();
    ws.template('t.tmpl', '{{getv "/k"}}\n');
    ws.resource('t', `[template]\nsrc = "t.tmpl"\ndest = "${join(ws.out, 't.conf')}"\nkeys = ["/k"]\n`);
    const dead = await freePort();
    const run = await runConfd(['render', '--confdir', ws.confdir, '--backend', 'etcd', '--node', `http://127.0.0.1:${dead}`, '--backend-timeout', '2s', '--log-format', 'json']);
    expect(run.code).toBe(1);
    expect(records(run.stderr).find((l) => l.level === 'error' && l.backend === 'etcd')).toMatchObject({ error: expect.any(String) });
  });

  it('turns setup errors into JSON lines: a bad value, a missing config file, an unknown flag', async () => {
    const bad = await runConfd(['render', '--log-format', 'json', '--interval', 'soon']);
    expect(bad.code).toBe(1);
    expect(records(bad.stderr)).toEqual([expect.objectContaining({ level: 'error', setting: '--interval', error: expect.stringMatching(/expected a whole number of seconds/) })]);

    const missing = await runConfd(['watch', '--config-file', '/nonexistent/confd.toml'], { env: { CONFD_LOG_FORMAT: 'json' } });
    expect(missing.code).toBe(1);
    expect(records(missing.stderr)).toEqual([expect.objectContaining({ level: 'error', msg: expect.stringMatching(/config file not found: \/nonexistent\/confd.toml/) })]);

    const unknown = await runConfd(['render', '--log-format=json', '--no-such-flag']);
    expect(unknown.code).toBe(2);
    expect(records(unknown.stderr)[0]).toMatchObject({ level: 'error', msg: expect.stringMatching(/unknown option '--no-such-flag'/) });
  });

  it("keeps confd's text layout without it", async () => {
    ws = workspace();
    const data = join(ws.data, 'd.yaml');
    writeFileSync(data, 'k: v\n');
    ws.template('t.tmpl', '{{getv "/k"}}\n');
    ws.resource('t', `[template]\nsrc = "t.tmpl"\ndest = "${join(ws.out, 't.conf')}"\nkeys = ["/k"]\n`);
    const run = await runConfd(['render', '--confdir', ws.confdir, '--backend', 'file', '--file', data]);
    expect(run.stderr).toMatch(new RegExp(`^\\S+ \\S+ confd\\[\\d+\\]: INFO Target config ${join(ws.out, 't.conf')} out of sync: created$`, 'm'));
    const bad = await runConfd(['render', '--interval', 'soon']);
    expect(bad.stderr).toBe('confd: --interval: expected a whole number of seconds (0 or more), got "soon"\n');
  });
});
