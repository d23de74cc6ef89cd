/** The host's bounded reading of plugin output, the child environment, and the socket-dir sweep. */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Logger } from '../../src/log/logger.js';
import { BoundedLineReader } from '../../src/plugin/host/bounded-lines.js';
import { childEnv } from '../../src/plugin/host/child-env.js';
import { createSocketDir, SOCKET_DIR_PREFIX, sweepStaleSocketDirs } from '../../src/plugin/host/socket-dir.js';

function read(chunks: (string | Buffer)[], maxLine: number) {
  const stream = new PassThrough();
  const lines: string[] = [];
  let overflows = 0;
  new BoundedLineReader(stream, maxLine, { line: (l) => lines.push(l), overflow: () => overflows++ });
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  return new Promise<{ lines: string[]; overflows: number }>((resolve) => stream.on('end', () => setImmediate(() => resolve({ lines, overflows }))));
}

describe('BoundedLineReader', () => {
  it('splits lines across chunks, strips CR, and delivers a last unterminated line', async () => {
    expect(await read(['ab', 'c\r\nde', 'f\n\ng'], 10)).toEqual({ lines: ['abc', 'def', '', 'g'], overflows: 0 });
  });

  it('reports a line longer than the cap once and drops everything after it', async () => {
    const result = await read(['ok\n', Buffer.alloc(6, 'x'), Buffer.alloc(6, 'x'), '\nlater\n'], 10);
    expect(result).toEqual({ lines: ['ok'], overflows: 1 });
  });

  it('accepts a line of exactly the cap', async () => {
    expect(await read(['x'.repeat(10) + '\n'], 10)).toEqual({ lines: ['x'.repeat(10)], overflows: 0 });
  });
});

describe('childEnv', () => {
  const hostEnv = { PATH: '/usr/bin', HOME: '/root', SECRET_TOKEN: 's3cret', PLUGIN_CLIENT_CERT: 'not ours' };

  it('passes the whole host environment by default (go-plugin compatibility), plus the protocol variables', () => {
    const env = childEnv({ hostEnv, socketDir: '/tmp/d' });
    expect(env).toMatchObject({ PATH: '/usr/bin', SECRET_TOKEN: 's3cret', PLUGIN_UNIX_SOCKET_DIR: '/tmp/d', TMPDIR: '/tmp/d', PLUGIN_PROTOCOL_VERSIONS: '1' });
    expect(env.CONFD_PLUGIN_MAGIC_COOKIE).toHaveLength(64);
    expect(env.PLUGIN_CLIENT_CERT).toBeUndefined(); // only ever the host's own certificate
  });

  it('passes only the allowlisted variables with env_allowlist', () => {
    const env = childEnv({ hostEnv, socketDir: '/tmp/d', allowlist: ['PATH', 'NOT_SET'], clientCertPem: 'PEM' });
    expect(env.PATH).toBe('/usr/bin');
    expect(env.SECRET_TOKEN).toBeUndefined();
    expect(env.HOME).toBeUndefined();
    expect('NOT_SET' in env).toBe(false);
    expect(env.PLUGIN_CLIENT_CERT).toBe('PEM');
  });
});

describe('plugin socket directories', () => {
  it('carry an owner file and a private plugin dir', async () => {
    const dir = await createSocketDir();
    expect(existsSync(join(dir.root, 'owner'))).toBe(true);
    expect(spawnSync('stat', ['-c', '%a', dir.root, dir.pluginDir], { encoding: 'utf8' }).stdout.split('\n').slice(0, 2)).toEqual(['700', '700']);
    await dir.remove();
    expect(existsSync(dir.root)).toBe(false);
  });

  it('a later confd removes those of dead confd processes, and nothing else', async () => {
    const base = tmpdir();
    const deadPid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const make = (owner: string | undefined) => {
      const dir = mkdtempSync(join(base, SOCKET_DIR_PREFIX));
      if (owner !== undefined) writeFileSync(join(dir, 'owner'), owner);
      mkdirSync(join(dir, 'plugin'));
      return dir;
    };
    const dead = make(`${deadPid} 1\n`);
    const alive = make(`${process.ppid}\n`);
    const noOwnerFile = make(undefined);
    const someoneElses = make(`${deadPid}\n`);
    if (process.getuid?.() === 0) chownSync(someoneElses, 65534, 65534);
    const target = mkdtempSync(join(base, 'confd-sweep-target-'));
    writeFileSync(join(target, 'owner'), `${deadPid}\n`);
    const link = join(base, `${SOCKET_DIR_PREFIX}link${process.pid}`);
    symlinkSync(target, link);
    const logged: string[] = [];
    try {
      await sweepStaleSocketDirs(new Logger({ level: 'info', sink: { write: (line: string) => logged.push(line) } }));
      expect(existsSync(dead)).toBe(false);
      expect(logged.join('')).toContain(`removed stale plugin socket directory ${dead} (its confd process ${deadPid} is gone)`);
      expect(existsSync(alive)).toBe(true);
      expect(existsSync(noOwnerFile)).toBe(true);
      if (process.getuid?.() === 0) expect(existsSync(someoneElses)).toBe(true);
      expect(existsSync(join(target, 'owner'))).toBe(true); // a symlink is never followed
    } finally {
      for (const path of [alive, noOwnerFile, someoneElses, target, link]) rmSync(path, { recursive: true, force: true });
    }
  });
});
