/** Runs the built CLI (`node bin/confd …`) as a real child process. Needs `npm run build`. */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CONFD_BIN = join(REPO_ROOT, 'bin', 'confd');

export interface ConfdRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Replace the environment instead of extending process.env (for the env backend). */
  cleanEnv?: boolean;
  cwd?: string;
  timeoutMs?: number;
  input?: string;
}

/**
 * No fallback to the machine's /etc/confd/confd.toml unless a test asks for one
 * (integration/system-config.test.ts creates that file while it runs).
 */
const NO_SYSTEM_CONFIG = { CONFD_SYSTEM_CONFIG: '' };

export function runConfd(args: readonly string[], options: RunOptions = {}): Promise<ConfdRun> {
  const base = { ...(options.cleanEnv ? { PATH: process.env.PATH ?? '/usr/bin:/bin' } : process.env), ...NO_SYSTEM_CONFIG };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CONFD_BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...base, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
