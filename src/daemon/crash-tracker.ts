/**
 * Plugin crashes in watch mode: restart with backoff, and call a plugin that crashed
 * CRASH_LIMIT times within CRASH_WINDOW_MS "failing" — it is still restarted, at the
 * capped delay.
 */
import { MAX_BACKOFF_MS } from './backoff.js';

export const CRASH_LIMIT = 5;
export const CRASH_WINDOW_MS = 60_000;
const FIRST_RESTART_MS = 250;

export class CrashTracker {
  private crashes: number[] = [];

  /** Records a crash; returns how many happened within the window (this one included). */
  record(now = Date.now()): number {
    this.crashes = this.crashes.filter((t) => now - t < CRASH_WINDOW_MS);
    this.crashes.push(now);
    return this.crashes.length;
  }

  recent(now = Date.now()): number {
    return this.crashes.filter((t) => now - t < CRASH_WINDOW_MS).length;
  }

  /** True once the crash limit is reached within the window. */
  failing(now = Date.now()): boolean {
    return this.recent(now) >= CRASH_LIMIT;
  }

  /** 250 ms, 500 ms, 1 s, 2 s for the first crashes; the cap once failing. */
  restartDelay(now = Date.now()): number {
    const n = this.recent(now);
    if (n >= CRASH_LIMIT) return MAX_BACKOFF_MS;
    return Math.min(MAX_BACKOFF_MS, FIRST_RESTART_MS * 2 ** Math.max(0, n - 1));
  }
}
