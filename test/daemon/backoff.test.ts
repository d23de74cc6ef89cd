import { describe, expect, it } from 'vitest';
import { Backoff, sleep } from '../../src/daemon/backoff.js';
import { CrashTracker, CRASH_LIMIT } from '../../src/daemon/crash-tracker.js';

describe('Backoff', () => {
  it('doubles from the initial delay and stops at the cap', () => {
    const b = new Backoff({ initialMs: 1000, maxMs: 30_000 });
    expect([1, 2, 3, 4, 5, 6, 7].map(() => b.next())).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(b.attempts).toBe(7);
    b.reset();
    expect(b.next()).toBe(1000);
  });

  it('drives real retries: the waits grow until the operation succeeds', async () => {
    const b = new Backoff({ initialMs: 10, maxMs: 40 });
    const attemptsAt: number[] = [];
    const start = Date.now();
    for (;;) {
      attemptsAt.push(Date.now() - start);
      if (attemptsAt.length === 5) break; // "succeeds" on the fifth attempt
      await sleep(b.next());
    }
    const gaps = attemptsAt.slice(1).map((t, i) => t - attemptsAt[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(9);
    expect(gaps[1]).toBeGreaterThanOrEqual(19);
    expect(gaps[2]).toBeGreaterThanOrEqual(39);
    expect(gaps[3]).toBeGreaterThanOrEqual(39); // capped
    expect(gaps[3]).toBeLessThan(150);
  });

  it('sleep returns at once when its signal aborts', async () => {
    const abort = new AbortController();
    const start = Date.now();
    setTimeout(() => abort.abort(), 20);
    await sleep(5000, abort.signal);
    expect(Date.now() - start).toBeLessThan(1000);
  });
});

describe('CrashTracker', () => {
  it('restarts quickly at first, then at the cap once the plugin crashed 5 times within a minute', () => {
    const t = new CrashTracker();
    const now = 1_000_000;
    const delays: number[] = [];
    for (let i = 0; i < CRASH_LIMIT; i++) {
      t.record(now + i * 1000);
      delays.push(t.restartDelay(now + i * 1000));
    }
    expect(delays.slice(0, 4)).toEqual([250, 500, 1000, 2000]);
    expect(t.failing(now + 4000)).toBe(true);
    expect(delays[4]).toBe(30_000);
    // A minute later the old crashes no longer count.
    expect(t.failing(now + 70_000)).toBe(false);
    expect(t.restartDelay(now + 70_000)).toBe(250);
  });
});
