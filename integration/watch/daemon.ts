/**
 * Runs `node bin/confd watch …` as a real child process for the watch tests, with its
 * log captured, and a temp confdir the test fills in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFD_BIN, REPO_ROOT } from '../../test/helpers/run-confd.js';

export interface Workspace {
  root: string;
  confdir: string;
  out: string;
  data: string;
  /** Writes `<confdir>/conf.d/<name>.toml`. */
  resource(name: string, toml: string): string;
  template(name: string, text: string): void;
  read(path: string): string | undefined;
  cleanup(): void;
}

export function workspace(): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'confd-watch-'));
  const confdir = join(root, 'confdir');
  const out = join(root, 'out');
  const data = join(root, 'data');
  for (const dir of [join(confdir, 'conf.d'), join(confdir, 'templates'), out, data]) mkdirSync(dir, { recursive: true });
  return {
    root,
    confdir,
    out,
    data,
    resource(name, toml) {
      const file = join(confdir, 'conf.d', `${name}.toml`);
      writeFileSync(file, toml);
      return file;
    },
    template(name, text) {
      writeFileSync(join(confdir, 'templates', name), text);
    },
    read(path) {
      return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface Daemon {
  child: ChildProcess;
  log(): string;
  /** Lines of the log matching `pattern`. */
  count(pattern: RegExp): number;
  waitForLog(pattern: RegExp, timeoutMs?: number, times?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

export function startDaemon(args: readonly string[], env: Record<string, string | undefined> = {}): Daemon {
  const child = spawn(process.execPath, [CONFD_BIN, 'watch', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const count = (pattern: RegExp) => log.split('\n').filter((line) => pattern.test(line)).length;
  return {
    child,
    log: () => log,
    count,
    exited,
    async waitForLog(pattern, timeoutMs = 10_000, times = 1) {
      const deadline = Date.now() + timeoutMs;
      while (count(pattern) < times) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} ×${times}; log:\n${log}`);
        if (child.exitCode !== null) throw new Error(`confd exited (${child.exitCode}) while waiting for ${pattern}; log:\n${log}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stop(signal = 'SIGTERM') {
      const sentAt = Date.now();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const status = await exited;
      clearTimeout(timer);
      return { code: status.code, signal: status.signal, ms: status.at - sentAt };
    },
  };
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string, intervalMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Registers the per-test cleanup every watch test needs: SIGKILL the daemon (if still
 * running) and remove the workspace. `current` returns the test's daemon and workspace.
 */
export function cleanupAfterEach(current: () => { daemon?: Daemon; ws?: Workspace }): void {
  afterEach(async () => {
    const { daemon, ws } = current();
    await daemon?.stop('SIGKILL');
    ws?.cleanup();
  });
}
