/**
 * Tests that need a tool from Debian (go, python3-grpcio, etcd, …): under CI=true a
 * missing tool fails the run; elsewhere the test is skipped with an install hint.
 */
import { execFileSync } from 'node:child_process';

export function hasCommand(command: string, args: string[] = ['--version']): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/** Returns true when the tool is there; throws under CI when it is not; else warns and returns false. */
export function requireTool(available: boolean, what: string, install: string): boolean {
  if (available) return true;
  const message = `${what} is not installed; install it with: ${install}`;
  if (process.env.CI === 'true') throw new Error(`CI=true: ${message}`);
  console.warn(`skipping: ${message}`);
  return false;
}
