/** The exec backend in-process, with real commands (sh, printf, cat on a FIFO). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WatchUnsupportedError } from '../../src/database/database.js';
import { ExecDatabase } from '../../builtin/databases/exec/index.js';
import { Fifo } from '../helpers/fifo.js';
import { failure, settledNow } from '../helpers/promises.js';

const opened: ExecDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

async function exec(config: Record<string, string>): Promise<ExecDatabase> {
  const db = new ExecDatabase();
  opened.push(db);
  await db.configure(config);
  return db;
}

const argv = (...words: string[]) => JSON.stringify(words);

describe('exec backend, poll mode', () => {
  it('runs the command on every read and flattens its output', async () => {
    const db = await exec({ command: argv('printf', '{"app": {"port": 8080, "hosts": ["a", "b"]}, "application": {"x": 1}}') });
    expect(db.canWatch).toBe(false);
    expect(await db.getValues(['/app'])).toEqual({ '/app/port': '8080', '/app/hosts/0': 'a', '/app/hosts/1': 'b' });
  });

  it('splits a string command into words, or runs it with a shell when asked', async () => {
    expect(await (await exec({ command: `printf 'db:\\n  host: "a b"\\n'` })).getValues(['/'])).toEqual({ '/db/host': 'a b' });
    const shell = await exec({ command: 'printf "A=1\\n" && printf "B__C=2\\n"', shell: 'true', format: 'env' });
    expect(await shell.getValues(['/'])).toEqual({ '/a': '1', '/b_c': '2' });
  });

  it('fails naming the command and its stderr on a non-zero exit', async () => {
    const db = await exec({ command: 'echo oops >&2; echo partial; exit 3', shell: 'true' });
    const error = await failure(db.getValues(['/']));
    expect(error.message).toBe('exec: command "echo oops >&2; echo partial; exit 3" exited with code 3; stderr: oops');
  });

  it('fails naming the command and the first bad line on unparseable output', async () => {
    const db = await exec({ command: argv('printf', '{\n  "a": 1,\n  "b": oops\n}\n') });
    const error = await failure(db.getValues(['/']));
    expect(error.message).toBe(`exec: command "printf \"{\\n  \\\"a\\\": 1,\\n  \\\"b\\\": oops\\n}\\n\"" printed invalid JSON at line 3: Unexpected token 'o' (line: "  \\"b\\": oops")`);
    const env = await exec({ command: argv('printf', 'A=1\nthis is not env\n'), format: 'env' });
    expect((await failure(env.getValues(['/']))).message).toMatch(/printed invalid ENV at line 2: expected NAME=value \(line: "this is not env"\)/);
  });

  it('times out, and says when the program cannot be started', async () => {
    const slow = await exec({ command: argv('sleep', '30'), timeout: '300ms' });
    expect((await failure(slow.getValues(['/']))).message).toBe('exec: command "sleep 30" timed out after 0.3s');
    const missing = await exec({ command: argv('/nonexistent/confd-test-program') });
    expect((await failure(missing.getValues(['/']))).message).toMatch(/^exec: cannot run command "\/nonexistent\/confd-test-program": .*ENOENT/);
  });

  it('cannot watch: the daemon polls', async () => {
    const db = await exec({ command: argv('true') });
    await expect(db.watchPrefix('/', ['/'], new AbortController().signal)[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(WatchUnsupportedError);
  });

  it('rejects bad settings by name', async () => {
    await expect(exec({ command: 'true', watchMode: 'push' })).rejects.toThrow(/watchMode: expected "poll" or "stream", got "push"/);
    await expect(exec({ command: 'true', format: 'xml' })).rejects.toThrow(/invalid format "xml"/);
    await expect(exec({ command: 'true', timeout: 'soon' })).rejects.toThrow(/timeout: expected a duration/);
    await expect(exec({ command: 'true', shell: 'maybe' })).rejects.toThrow(/shell: expected true or false/);
  });
});

async function nextChange(iterator: AsyncIterator<void>): Promise<void> {
  const result = await iterator.next();
  expect(result.done).toBe(false);
}

describe('exec backend, stream mode', () => {
  let fifo: Fifo | undefined;
  afterEach(async () => {
    await fifo?.remove();
    fifo = undefined;
  });

  it('returns the latest document and wakes a watcher only when its keys change', async () => {
    fifo = new Fifo();
    const db = await exec({ command: argv('cat', fifo.path), watchMode: 'stream' });
    expect(db.canWatch).toBe(true);
    const first = db.getValues(['/app']);
    await fifo.write('{"app": {"port": 1}, "other": 1}\n');
    expect(await first).toEqual({ '/app/port': '1' });

    const abort = new AbortController();
    const changes = db.watchPrefix('/app', ['/app'], abort.signal)[Symbol.asyncIterator]();
    const pending = changes.next();
    await fifo.write('{"app": {"port": 1}, "other": 2}\n');
    await until(async () => (await db.getValues(['/other']))['/other'] === '2');
    expect(await settledNow(pending)).toBe(false);
    await fifo.write('{"app": {"port": 2}, "other": 2}\n');
    expect((await pending).done).toBe(false);
    expect(await db.getValues(['/app'])).toEqual({ '/app/port': '2' });
    abort.abort();
  });

  it('restarts a command that ended, keeping its last document meanwhile', async () => {
    fifo = new Fifo();
    // Each run notes itself in `runs`, so the test knows when the restart has happened.
    const runs = join(fifo.dir, 'runs');
    const db = await exec({ command: argv('sh', '-c', 'echo run >> "$2"; exec cat "$1"', 'sh', fifo.path, runs), watchMode: 'stream', format: 'yaml' });
    const first = db.getValues(['/']);
    await fifo.write('---\na: 1\n---\n');
    expect(await first).toEqual({ '/a': '1' });
    const abort = new AbortController();
    const changes = db.watchPrefix('/', ['/a'], abort.signal)[Symbol.asyncIterator]();
    await fifo.close(); // cat sees EOF and exits 0
    expect(await db.getValues(['/'])).toEqual({ '/a': '1' });
    await until(async () => existsSync(runs) && readFileSync(runs, 'utf8') === 'run\nrun\n');
    // Opening the FIFO for writing waits for the restarted cat to open it.
    await fifo.write('a: 2\n...\n');
    await nextChange(changes);
    expect(await db.getValues(['/'])).toEqual({ '/a': '2' });
    abort.abort();
  });

  it('a bad document or a non-zero exit fails reads, naming the command, until the next good document', async () => {
    fifo = new Fifo();
    const db = await exec({ command: argv('sh', '-c', 'cat "$1"; echo gone >&2; exit 4', 'sh', fifo.path), watchMode: 'stream' });
    const first = db.getValues(['/']);
    await fifo.write('{"a": 1}\n');
    expect(await first).toEqual({ '/a': '1' });

    await fifo.write('{"a": oops}\n');
    const bad = await until(() => failure(db.getValues(['/'])).catch(() => undefined));
    expect(bad.message).toBe(`exec: command "sh -c 'cat "$1"; echo gone >&2; exit 4' sh ${fifo.path}" printed document 2: invalid JSON at line 1: Unexpected token 'o' (line: "{\\"a\\": oops}")`);

    await fifo.write('{"a": 3}\n');
    await until(async () => (await db.getValues(['/']).catch(() => ({}) as Record<string, string>))['/a'] === '3');

    await fifo.close();
    const died = await until(() => failure(db.getValues(['/'])).catch(() => undefined));
    expect(died.message).toMatch(/^exec: stream command ".*" exited with code 4; stderr: gone$/);

    await fifo.write('{"a": 5}\n');
    await until(async () => (await db.getValues(['/']).catch(() => ({}) as Record<string, string>))['/a'] === '5');
  });

  it('fails a read when no document arrives in time', async () => {
    const db = await exec({ command: argv('sleep', '30'), watchMode: 'stream', timeout: '300ms' });
    expect((await failure(db.getValues(['/']))).message).toBe('exec: stream command "sleep 30" printed no complete document within 0.3s');
  });
});

/** Retries `check` until it returns something truthy (conditions, never fixed sleeps). */
async function until<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
