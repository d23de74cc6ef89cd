/** How a child process ended, and the one way it is worded in logs and errors. */
import { constants as osConstants } from 'node:os';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** `exited with code 3` / `was killed by SIGKILL`: reads after a subject ("plugin x …"). */
export function describeExit(status: ExitStatus): string {
  return status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
}

/** The exit code a shell reports for a process: its own, or 128 + the signal number. */
export function shellExitCode(status: ExitStatus): number {
  if (status.code !== null) return status.code;
  const number = status.signal ? osConstants.signals[status.signal] : undefined;
  return number === undefined ? 1 : 128 + number;
}
