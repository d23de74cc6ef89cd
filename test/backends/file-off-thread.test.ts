/**
 * Large data files are parsed in a worker thread, through the real CLI: the result is the
 * same, and SIGTERM during a long parse is handled at once (the event loop is free).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OFF_THREAD_BYTES } from '../../builtin/databases/file/off-thread.js';
import { CONFD_BIN, REPO_ROOT, runConfd } from '../helpers/run-confd.js';

function setup(entries: number) {
  const root = mkdtempSync(join(tmpdir(), 'confd-bigdata-'));
  const confdir = join(root, 'confdir');
  mkdirSync(join(confdir, 'conf.d'), { recursive: true });
  mkdirSync(join(confdir, 'templates'));
  const lines: string[] = [];
  for (let i = 0; i < entries; i++) lines.push(`key${i}:\n  host: host-${i}.example.com\n  port: ${1000 + i}\n`);
  const data = join(root, 'data.yaml');
  writeFileSync(data, lines.join(''));
  writeFileSync(join(confdir, 'templates', 'a.tmpl'), '{{getv "/key1/host"}}:{{getv "/key1/port"}}\n');
  writeFileSync(join(confdir, 'conf.d', 'a.toml'), `[template]\nsrc = "a.tmpl"\ndest = "${root}/out.conf"\nkeys = ["/key1"]\n`);
  return { root, confdir, data, out: join(root, 'out.conf') };
}

describe('large data files', () => {
  it('parse in a worker with the same result', async () => {
    const s = setup(20_000);
    expect(readFileSync(s.data).length).toBeGreaterThan(OFF_THREAD_BYTES);
    expect(existsSync(join(REPO_ROOT, 'dist', 'bundle', 'parse-worker.js'))).toBe(true);
    const run = await runConfd(['render', '--backend', 'file', '--file', s.data, '--confdir', s.confdir]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(s.out, 'utf8')).toBe('host-1.example.com:1001\n');
  });

  it('SIGTERM during a long parse stops confd; nothing is written', async () => {
    const s = setup(250_000); // ~14 MB of YAML: many seconds of parsing
    const child = spawn(process.execPath, [CONFD_BIN, 'render', '--backend', 'file', '--file', s.data, '--confdir', s.confdir, '--log-level', 'debug'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('backend set to file')) resolve();
      });
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(1);
    expect(stderr).toContain('caught SIGTERM; stopping');
    expect(existsSync(s.out)).toBe(false);
  });
});
