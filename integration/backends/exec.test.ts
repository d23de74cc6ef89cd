/**
 * The exec backend through the real CLI: one-shot renders (string, array and shell
 * commands, in-process and through internal-plugin), bad output that writes nothing,
 * and `confd watch` in poll and stream mode with real commands (a stream command that
 * `cat`s a FIFO the test writes to, dies and is restarted).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareFixture } from '../../test/fixture/prepare.js';
import { Fifo } from '../../test/helpers/fifo.js';
import { runConfd } from '../../test/helpers/run-confd.js';
import { startDaemon, waitFor, workspace, type Daemon, type Workspace } from '../watch/daemon.js';
import { expectFixtureRenders, internalPluginExecutable } from './fixture-render.js';

let ws: Workspace | undefined;
let daemon: Daemon | undefined;
let fifo: Fifo | undefined;
afterEach(async () => {
  await daemon?.stop('SIGKILL');
  await fifo?.remove();
  ws?.cleanup();
  daemon = ws = fifo = undefined;
});

/** The fixture's data as `NAME=value` lines in a file (the env backend's mapping). */
function fixtureEnvFile(dir: string): string {
  const fixture = prepareFixture();
  const path = join(dir, 'data.env');
  writeFileSync(path, Object.entries(fixture.env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  fixture.cleanup();
  return path;
}

/** A workspace with one resource rendering `value={{getv key}}` from `/app`. */
function oneKey(): { ws: Workspace; dest: string } {
  const w = workspace();
  w.template('one.tmpl', 'value={{getv "/app/value"}}\n');
  w.resource('one', `[template]\nsrc = "one.tmpl"\ndest = "${w.out}/one.conf"\nkeys = ["/app"]\n`);
  return { ws: w, dest: join(w.out, 'one.conf') };
}

describe('exec backend through the CLI', () => {
  it('renders the fixture byte-identical from a command, in-process and through internal-plugin', async () => {
    ws = workspace();
    const data = fixtureEnvFile(ws.data);
    await expectFixtureRenders(['--backend', 'exec', '--command', `cat ${data}`, '--format', 'env']);
    await expectFixtureRenders(['--backend', internalPluginExecutable('exec'), '--command', `cat ${data}`]);
  });

  it('takes command as an argv array or a shell string in confd.toml', async () => {
    const { ws: w, dest } = oneKey();
    ws = w;
    writeFileSync(join(ws.confdir, 'confd.toml'), `backend = "exec"\ncommand = ["printf", "{\\"app\\": {\\"value\\": \\"%s\\"}}", "from argv"]\n`);
    let run = await runConfd(['render', '--confdir', ws.confdir]);
    expect(run.stderr).not.toMatch(/ERROR|WARN/);
    expect(readFileSync(dest, 'utf8')).toBe('value=from argv\n');
    writeFileSync(join(ws.confdir, 'confd.toml'), `backend = "exec"\nshell = true\ncommand = "echo 'app:' && echo '  value: piped' | cat"\n`);
    run = await runConfd(['render', '--confdir', ws.confdir]);
    expect(run.stderr).not.toMatch(/ERROR|WARN/);
    expect(readFileSync(dest, 'utf8')).toBe('value=piped\n');
  });

  it('bad output or a failing command fails the run, naming the command and the line, and writes nothing', async () => {
    const { ws: w, dest } = oneKey();
    ws = w;
    const bad = join(ws.data, 'bad.json');
    writeFileSync(bad, '{\n  "app": {\n    "value": "x",\n  }\n}\n');
    let run = await runConfd(['render', '--backend', 'exec', '--command', `cat ${bad}`, '--confdir', ws.confdir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`exec: command "cat ${bad}" printed invalid JSON at line 4: `);
    expect(run.stderr).toContain('(line: "  }")');
    run = await runConfd(['render', '--backend', 'exec', '--command', 'sh -c "echo no such store >&2; exit 2"', '--confdir', ws.confdir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('exec: command "sh -c "echo no such store >&2; exit 2"" exited with code 2; stderr: no such store');
    run = await runConfd(['render', '--backend', 'exec', '--command', 'cat x | jq', '--confdir', ws.confdir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('"|" needs a shell: set shell = true, or quote it');
    expect(existsSync(dest)).toBe(false);
  });

  for (const via of ['in-process', 'internal-plugin'] as const) {
    it(`watch_mode = "poll" (${via}): the command runs every --interval`, async () => {
      const { ws: w, dest } = oneKey();
      ws = w;
      const data = join(ws.data, 'app.yaml');
      writeFileSync(data, 'app:\n  value: one\n');
      const backend = via === 'in-process' ? 'exec' : internalPluginExecutable('exec');
      daemon = startDaemon(['--backend', backend, '--command', `cat ${data}`, '--interval', '1', '--confdir', ws.confdir]);
      await waitFor(() => ws!.read(dest) === 'value=one\n', 20_000, 'first render');
      writeFileSync(data, 'app:\n  value: two\n');
      await waitFor(() => ws!.read(dest) === 'value=two\n', 20_000, 'the polled change');
      expect(daemon.count(/cannot watch.*polling every 1s/)).toBe(1);
    });

    it(`watch_mode = "stream" (${via}): each document is rendered; a bad one writes nothing; a dead command is restarted`, async () => {
      const { ws: w, dest } = oneKey();
      ws = w;
      fifo = new Fifo();
      const runs = join(ws.data, 'runs');
      writeFileSync(join(ws.confdir, 'confd.toml'), `command = ["sh", "-c", "echo run >> \\"$2\\"; exec cat \\"$1\\"", "sh", "${fifo.path}", "${runs}"]\nwatch_mode = "stream"\n`);
      const backend = via === 'in-process' ? 'exec' : internalPluginExecutable('exec');
      // --interval 600: renders within seconds can only come from the stream.
      daemon = startDaemon(['--backend', backend, '--interval', '600', '--confdir', ws.confdir]);
      await fifo.write('{"app": {"value": "one"}}\n');
      await waitFor(() => ws!.read(dest) === 'value=one\n', 20_000, 'first render');
      await fifo.write('{"app": {"value": "two"}}\n');
      await waitFor(() => ws!.read(dest) === 'value=two\n', 10_000, 'the second document');
      await fifo.write('{"app": {"value": oops}}\n');
      await daemon.waitForLog(/printed document 3: invalid JSON at line 1/, 10_000);
      expect(ws.read(dest)).toBe('value=two\n');
      await fifo.write('{"app": {"value": "three"}}\n');
      await waitFor(() => ws!.read(dest) === 'value=three\n', 20_000, 'a good document after the bad one');
      // EOF: cat exits; the backend starts the command again (it notes each run in `runs`).
      await fifo.close();
      await waitFor(() => ws!.read(runs) === 'run\nrun\n', 20_000, 'the command restarted');
      await fifo.write('{"app": {"value": "four"}}\n');
      await waitFor(() => ws!.read(dest) === 'value=four\n', 20_000, 'a document from the restarted command');
    });
  }
});
