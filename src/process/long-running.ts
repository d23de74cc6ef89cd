/**
 * Starts a long-running program (no shell unless argv asks for one) whose stdout is
 * read as it arrives: the exec backend's stream command. Like every command confd
 * runs, it gets its own process group, so stopping it stops what it started too.
 */
import type { Readable } from 'node:stream';
import { killProcessGroup } from './kill-group.js';
import { spawnInOwnGroup } from './spawn-group.js';

export interface ProgramExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the program could not be started (ENOENT, EACCES). */
  error?: Error;
  /** The last 8 KiB of stderr. */
  stderr: string;
}

export interface RunningProgram {
  readonly pid: number | undefined;
  readonly stdout: Readable;
  /** Resolves once the program has exited and its stdout is drained. */
  readonly exited: Promise<ProgramExit>;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<ProgramExit>;
}

const STDERR_TAIL = 8 * 1024;

export function startProgram(argv: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): RunningProgram {
  const child = spawnInOwnGroup(argv, options);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL);
  });
  const exited = new Promise<ProgramExit>((resolve) => {
    child.on('error', (error) => resolve({ exitCode: null, signal: null, error, stderr }));
    // 'close' waits for stdout to end, so every document it printed has been read.
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal, stderr }));
  });
  // A background process it left behind may hold stdout open after it exited: that
  // one is ours to end too, or 'close' (and so `exited`) would never come.
  child.on('exit', () => setTimeout(() => killProcessGroup(child.pid, 'SIGKILL'), 500).unref());
  return {
    pid: child.pid,
    stdout: child.stdout,
    exited,
    async stop(graceMs = 2000) {
      if (child.exitCode === null && child.signalCode === null) {
        killProcessGroup(child.pid, 'SIGTERM');
        const timer = setTimeout(() => killProcessGroup(child.pid, 'SIGKILL'), graceMs);
        const exit = await exited;
        clearTimeout(timer);
        return exit;
      }
      // It has exited, but something it started may still hold stdout open.
      killProcessGroup(child.pid, 'SIGKILL');
      return exited;
    },
  };
}
