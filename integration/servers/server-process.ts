/**
 * Starts a real server binary on 127.0.0.1 with a free port and a temp data dir, waits
 * until it answers, and stops it (SIGTERM, then SIGKILL) — also when a test fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `confd-${prefix}-`));
}

export interface ServerProcessOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Resolves once the server answers; retried until the timeout. */
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
}

export class ServerProcess {
  private child: ChildProcess | undefined;
  private output = '';
  private partialLine = '';
  private readonly lineListeners = new Set<(line: string) => void>();

  constructor(private readonly options: ServerProcessOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    const child = spawn(this.options.command, this.options.args, { env: { ...process.env, ...this.options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.output = '';
    const keep = (d: Buffer) => {
      this.output = (this.output + d.toString()).slice(-8000);
      const lines = (this.partialLine + d.toString()).split('\n');
      this.partialLine = lines.pop() ?? '';
      for (const line of lines) for (const listener of this.lineListeners) listener(line);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 30_000);
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.options.name} exited during start-up:\n${this.output}`);
      if (await this.options.ready().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.stop();
    throw new Error(`${this.options.name} did not become ready:\n${this.output}`);
  }

  /** SIGKILL, as a crash: for outage tests. */
  async kill(): Promise<void> {
    await this.stop('SIGKILL');
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  logs(): string {
    return this.output;
  }

  /** Resolves with the first line of output matching `pattern` printed from now on. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const listener = (line: string) => {
        if (!pattern.test(line)) return;
        clearTimeout(timer);
        this.lineListeners.delete(listener);
        resolve(line);
      };
      const timer = setTimeout(() => {
        this.lineListeners.delete(listener);
        reject(new Error(`${this.options.name} printed no line matching ${pattern} within ${timeoutMs}ms:\n${this.output}`));
      }, timeoutMs);
      this.lineListeners.add(listener);
    });
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
