/**
 * Runs a shell command (`/bin/sh -c`) with a timeout, as check_cmd and reload_cmd do.
 * The command gets its own process group, so a timeout kills everything it started,
 * not just the shell.
 */
import { spawn } from 'node:child_process';
import { killProcessGroup } from './kill-group.js';

export interface CommandResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Combined stdout and stderr (the last 64 KiB). */
  output: string;
  timedOut: boolean;
  /** Killed because `signal` aborted. */
  aborted: boolean;
}

export interface CommandOptions {
  timeoutMs: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

const MAX_OUTPUT = 64 * 1024;

export function runShellCommand(command: string, options: CommandOptions): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let timedOut = false;
    let aborted = false;
    const append = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > MAX_OUTPUT) output = output.slice(-MAX_OUTPUT);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const kill = () => killProcessGroup(child.pid);
    const abort = () => ((aborted = true), kill());
    const timer = options.timeoutMs > 0 ? setTimeout(() => ((timedOut = true), kill()), options.timeoutMs) : undefined;
    // An already-aborted signal never fires 'abort': kill at once instead.
    if (options.signal?.aborted) abort();
    else options.signal?.addEventListener('abort', abort, { once: true });
    child.on('error', (error) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
      reject(error);
    });
    let settled = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
      // On timeout or abort, nothing the command started may survive it.
      if (timedOut || aborted) kill();
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ exitCode, signal, output, timedOut, aborted });
    };
    child.on('close', finish);
    // A command may leave a background process holding its stdout open (a daemon it
    // restarted); once the shell itself has exited, collect briefly and return.
    child.on('exit', (exitCode, signal) => setTimeout(() => finish(exitCode, signal), 200).unref());
  });
}
