/**
 * Runs a command with a timeout: a shell command (`/bin/sh -c`), as check_cmd and
 * reload_cmd do, or a program with its argv and no shell, as the exec backend does.
 * The command gets its own process group, so a timeout kills everything it started,
 * not just the shell.
 */
import { killProcessGroup } from './kill-group.js';
import { spawnInOwnGroup } from './spawn-group.js';

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

/** A program's result with stdout kept whole (up to a limit) and stderr apart. */
export interface CapturedResult extends CommandResult {
  stdout: string;
  /** The last 64 KiB of stderr. */
  stderr: string;
  /** True when stdout exceeded `maxStdoutBytes` and the program was killed. */
  stdoutOverflow: boolean;
}

export interface CaptureOptions extends CommandOptions {
  /** Default 64 MiB. */
  maxStdoutBytes?: number;
}

const MAX_OUTPUT = 64 * 1024;
const DEFAULT_MAX_STDOUT = 64 * 1024 * 1024;

function keepTail(text: string): string {
  return text.length > MAX_OUTPUT ? text.slice(-MAX_OUTPUT) : text;
}

export function runShellCommand(command: string, options: CommandOptions): Promise<CommandResult> {
  return run(['/bin/sh', '-c', command], options, false).then(({ exitCode, signal, output, timedOut, aborted }) => ({ exitCode, signal, output, timedOut, aborted }));
}

/** Runs `argv[0]` with `argv.slice(1)`, no shell. Rejects only when it cannot start (ENOENT, EACCES). */
export function runProgram(argv: readonly string[], options: CaptureOptions): Promise<CapturedResult> {
  return run(argv, options, true);
}

function run(argv: readonly string[], options: CaptureOptions, captureStdout: boolean): Promise<CapturedResult> {
  const maxStdout = options.maxStdoutBytes ?? DEFAULT_MAX_STDOUT;
  return new Promise((resolve, reject) => {
    const child = spawnInOwnGroup(argv, options);
    let output = '';
    let stderr = '';
    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stdoutOverflow = false;
    let timedOut = false;
    let aborted = false;
    const kill = () => killProcessGroup(child.pid);
    const abort = () => ((aborted = true), kill());
    child.stdout.on('data', (chunk: Buffer) => {
      output = keepTail(output + chunk.toString());
      if (!captureStdout || stdoutOverflow) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdout) {
        stdoutOverflow = true;
        kill();
        return;
      }
      stdoutChunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output = keepTail(output + chunk.toString());
      stderr = keepTail(stderr + chunk.toString());
    });
    const timer = options.timeoutMs > 0 ? setTimeout(() => ((timedOut = true), kill()), options.timeoutMs) : undefined;
    // An already-aborted signal never fires 'abort': kill at once instead.
    if (options.signal?.aborted) abort();
    else options.signal?.addEventListener('abort', abort, { once: true });
    let settled = false;
    child.on('error', (error) => {
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
      reject(error);
    });
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
      // On timeout or abort, nothing the command started may survive it.
      if (timedOut || aborted) kill();
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ exitCode, signal, output, timedOut, aborted, stdout: Buffer.concat(stdoutChunks).toString('utf8'), stderr, stdoutOverflow });
    };
    child.on('close', finish);
    // A command may leave a background process holding its stdout open (a daemon it
    // restarted); once the command itself has exited, collect briefly and return.
    child.on('exit', (exitCode, signal) => setTimeout(() => finish(exitCode, signal), 200).unref());
  });
}
