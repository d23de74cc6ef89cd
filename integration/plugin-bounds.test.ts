/**
 * Bounded input from plugins: whatever a plugin prints or sends, the host's memory does
 * not grow with it — output before the handshake and stderr lines are capped (the plugin
 * is killed with a clear error), stdout after the handshake is drained and dropped,
 * stderr is re-logged at a bounded rate, and gRPC messages have a maximum size.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runConfd } from '../test/helpers/run-confd.js';
import { newMarker, processesWithMarker } from './helpers/processes.js';

const BROKEN = join(REPO_ROOT, 'integration', 'plugins', 'broken');
const TS_PLUGIN = join(REPO_ROOT, 'integration', 'plugins', 'ts', 'confd-database-tsmem');

/** A confdir with one resource over `keys`, and the TS plugin's data file holding `data`. */
function workspace(template: string, keys: string[], backendConfig: string, data: Record<string, string> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'confd-bounds-'));
  const confdir = join(root, 'confdir');
  for (const dir of [join(confdir, 'conf.d'), join(confdir, 'templates')]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(root, 'data.json'), JSON.stringify(data));
  writeFileSync(join(confdir, 'templates', 'out.tmpl'), template);
  writeFileSync(join(confdir, 'conf.d', 'out.toml'), `[template]\nsrc = "out.tmpl"\ndest = "${join(root, 'out.txt')}"\nkeys = ${JSON.stringify(keys)}\n`);
  writeFileSync(join(confdir, 'confd.toml'), `[backend_config]\ndataFile = "${join(root, 'data.json')}"\n${backendConfig}\n`);
  return { confdir, out: () => (existsSync(join(root, 'out.txt')) ? readFileSync(join(root, 'out.txt'), 'utf8') : undefined) };
}

describe('output before the handshake is capped', () => {
  const cases = [
    ['floodstdout', 'printed more than 64 KiB on stdout without a handshake line'],
    ['floodstderr', 'printed a stderr line longer than 1 MiB'],
  ] as const;
  for (const [name, message] of cases) {
    it(`${name}: 300 MB without a newline kills the plugin with a clear error`, async () => {
      const ws = workspace('x\n', ['/x'], '');
      const marker = newMarker();
      const run = await runConfd(['render', '--confdir', ws.confdir, '--backend', name, '--plugin-dir', BROKEN], { env: { CONFD_TEST_MARKER: marker } });
      expect(run.signal).toBeNull();
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`plugin ${name} (${join(BROKEN, `confd-database-${name}`)}): ${message}`);
      expect(processesWithMarker(marker)).toEqual([]);
      expect(ws.out()).toBeUndefined();
    });
  }
});

describe('after the handshake', () => {
  it('300 MB of garbage on stdout is drained without growing the host', async () => {
    const ws = workspace('kb={{getv "/_host/vmhwm_kb"}}\n', ['/_host'], 'spewStdoutBytes = "314572800"');
    const run = await runConfd(['render', '--confdir', ws.confdir, '--backend', TS_PLUGIN]);
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    // The plugin read confd's peak resident memory after writing: far below what buffering 300 MB would take.
    const peakKb = Number(/^kb=(\d+)\n$/.exec(ws.out() ?? '')?.[1]);
    expect(peakKb).toBeGreaterThan(0);
    expect(peakKb).toBeLessThan(200 * 1024);
  });

  it('a flood of stderr lines is re-logged at a bounded rate, and the rest counted', async () => {
    const ws = workspace('ok\n', ['/x'], 'spewStderrLines = "100000"');
    const run = await runConfd(['render', '--confdir', ws.confdir, '--backend', TS_PLUGIN]);
    expect(run.code).toBe(0);
    const relogged = run.stderr.split('\n').filter((line) => line.includes('spam line')).length;
    expect(relogged).toBeGreaterThan(0);
    expect(relogged).toBeLessThan(100_000);
    const dropped = [...run.stderr.matchAll(/WARNING \[plugin\.tsmem\] dropped (\d+) stderr line\(s\): the plugin printed more than 1000 a second/g)];
    expect(dropped.length).toBeGreaterThan(0);
    // Every line is either re-logged or counted (the count also covers the plugin's own log lines).
    expect(relogged + dropped.reduce((sum, m) => sum + Number(m[1]), 0)).toBeGreaterThanOrEqual(100_000);
  });

  it('a reply larger than plugin_max_message_size is refused with the limit named', async () => {
    const ws = workspace('{{getv "/big"}}\n', ['/big'], '', { '/big': 'x'.repeat(4096) });
    const run = await runConfd(['render', '--confdir', ws.confdir, '--backend', TS_PLUGIN, '--plugin-max-message-size', '1KiB']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`plugin tsmem (${TS_PLUGIN}): GetValues failed: a message exceeds plugin_max_message_size (1 KiB)`);
    expect(ws.out()).toBeUndefined();
    const fits = await runConfd(['render', '--confdir', ws.confdir, '--backend', TS_PLUGIN, '--plugin-max-message-size', '64KiB']);
    expect(fits.code).toBe(0);
    expect(ws.out()).toBe('x'.repeat(4096) + '\n');
  });
});
