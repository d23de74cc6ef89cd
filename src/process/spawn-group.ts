/**
 * Starts a program in its own process group, stdin closed, stdout and stderr piped: how
 * confd starts every command, so that killing the group ends whatever it started too.
 */
import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

export function spawnInOwnGroup(argv: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(argv[0], argv.slice(1), {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Starts a program in its own process group on confd's own stdin, stdout and stderr:
 * exec mode's supervised child. Its own group, so that a terminal's Ctrl-C reaches it
 * only through confd (which forwards it), and stopping it stops what it started too.
 */
export function spawnSupervised(argv: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return spawn(argv[0], argv.slice(1), {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: 'inherit',
  });
}
