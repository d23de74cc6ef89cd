/** Finding processes by an environment marker, to prove none outlived a test. */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

export function newMarker(): string {
  return `confd-test-${randomBytes(6).toString('hex')}`;
}

/** Live (non-zombie) processes whose environment contains CONFD_TEST_MARKER=<marker>. */
export function processesWithMarker(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${entry}/stat`, 'utf8'))) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(`CONFD_TEST_MARKER=${marker}`)) found.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return found.filter((pid) => pid !== process.pid);
}

export async function waitFor(check: () => boolean, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return check();
}
