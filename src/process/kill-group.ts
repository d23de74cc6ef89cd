/** Kills a child's whole process group (it was spawned detached), so grandchildren die too. */
export function killProcessGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch (error) {
    // ESRCH: already gone. Fall back to the single process if the group is not ours.
    if ((error as NodeJS.ErrnoException).code === 'EPERM') {
      try {
        process.kill(pid, signal);
      } catch {
        /* gone */
      }
    }
  }
}

/** Sends `signal` to one process (not its group); a process already gone is not an error. */
export function signalProcess(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    /* gone */
  }
}
