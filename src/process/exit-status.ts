/** How a child process ended, and the one way it is worded in logs and errors. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** `exited with code 3` / `was killed by SIGKILL`: reads after a subject ("plugin x …"). */
export function describeExit(status: ExitStatus): string {
  return status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
}
