/** The daemon's scheduling, driven with fake timers: no test here depends on the machine's speed. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PassQueue, type PassRequest } from '../../src/daemon/pass-queue.js';

interface Harness {
  queue: PassQueue;
  passes: Omit<PassRequest, 'onlyWatchEvents'>[];
  /** Each pass's onlyWatchEvents. */
  watchOnly: boolean[];
  /** Runs inside the next passes, in order (a backend failure reports its retry here, as the daemon does). */
  during: ((queue: PassQueue) => void)[];
  backendUp: boolean;
  /** While set, a pass does not finish until `release()` is called. */
  hold: boolean;
  release(): void;
  errors: unknown[];
}

function harness(): Harness {
  let releasePass: (() => void) | undefined;
  const h: Harness = {
    passes: [],
    watchOnly: [],
    during: [],
    backendUp: true,
    hold: false,
    errors: [],
    release: () => releasePass?.(),
    queue: undefined as unknown as PassQueue,
  };
  h.queue = new PassQueue({
    runPass: async (request) => {
      h.passes.push({ files: request.files === 'all' ? 'all' : [...request.files].sort(), reason: request.reason });
      h.watchOnly.push(request.onlyWatchEvents);
      if (h.hold) await new Promise<void>((resolve) => (releasePass = resolve));
      h.during.shift()?.(h.queue);
    },
    canRun: () => h.backendUp,
    onInternalError: (error) => h.errors.push(error),
  });
  return h;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const GROUP = ['/conf.d/a.toml', '/conf.d/b.toml', '/conf.d/c.toml'];

describe('PassQueue: one pass per group change', () => {
  it('a group change without a wait gives one pass with every resource of the group', async () => {
    const h = harness();
    h.queue.change('app', GROUP, undefined);
    await vi.runAllTimersAsync();
    expect(h.passes).toEqual([{ files: GROUP, reason: 'change' }]);
  });

  it('whatever the timer phases: events spread over the wait window still give one pass', async () => {
    const h = harness();
    const wait = { minMs: 100, maxMs: 400 };
    // Events of one group arriving in different timer phases (1 ms, 37 ms, 90 ms apart):
    // with a debouncer per resource these could fire in different phases and split the
    // group over two passes (two getValues); one debouncer per group cannot.
    h.queue.change('app', GROUP, wait);
    await vi.advanceTimersByTimeAsync(1);
    h.queue.change('app', GROUP, wait);
    await vi.advanceTimersByTimeAsync(37);
    h.queue.change('app', GROUP, wait);
    await vi.advanceTimersByTimeAsync(90);
    h.queue.change('app', GROUP, wait);
    expect(h.passes).toEqual([]);
    await vi.runAllTimersAsync();
    expect(h.passes).toEqual([{ files: GROUP, reason: 'change' }]);
  });

  it('for every offset of the second event within the wait, exactly one pass covers the whole group', async () => {
    for (const offset of [0, 1, 25, 49]) {
      const h = harness();
      const wait = { minMs: 50, maxMs: 200 };
      h.queue.change('app', GROUP.slice(0, 2), wait);
      await vi.advanceTimersByTimeAsync(offset);
      h.queue.change('app', GROUP, wait); // membership grew (SIGHUP) between the events
      await vi.runAllTimersAsync();
      expect(h.passes, `offset ${offset}`).toEqual([{ files: GROUP, reason: 'change' }]);
    }
  });

  it('max bounds the delay of a continuous burst', async () => {
    const h = harness();
    const wait = { minMs: 100, maxMs: 250 };
    for (let t = 0; t < 240; t += 30) {
      h.queue.change('app', GROUP, wait);
      await vi.advanceTimersByTimeAsync(30);
    }
    // 240 ms of pokes every 30 ms: min alone would never fire; max fires at 250 ms.
    await vi.advanceTimersByTimeAsync(20);
    expect(h.passes).toHaveLength(1);
  });

  it('two groups changing in the same tick share one pass', async () => {
    const h = harness();
    h.queue.change('app', ['/conf.d/a.toml'], undefined);
    h.queue.change('db', ['/conf.d/d.toml'], undefined);
    await vi.runAllTimersAsync();
    expect(h.passes).toEqual([{ files: ['/conf.d/a.toml', '/conf.d/d.toml'], reason: 'change' }]);
  });
});

describe('PassQueue: coalescing', () => {
  it('requests made while a pass runs are merged into one following pass', async () => {
    const h = harness();
    h.hold = true;
    h.queue.request('all', 'connect');
    await vi.advanceTimersByTimeAsync(0);
    expect(h.passes).toHaveLength(1);
    h.queue.request(['/conf.d/a.toml'], 'change');
    h.queue.request(['/conf.d/b.toml'], 'change');
    h.queue.request(['/conf.d/a.toml'], 'interval');
    h.hold = false;
    h.release();
    await vi.runAllTimersAsync();
    expect(h.passes).toEqual([
      { files: 'all', reason: 'connect' },
      { files: ['/conf.d/a.toml', '/conf.d/b.toml'], reason: 'change' },
    ]);
  });

  it('a pass may use watch-kept values only when every request merged into it came from a watch event', async () => {
    const h = harness();
    h.hold = true;
    h.queue.request('all', 'connect');
    await vi.advanceTimersByTimeAsync(0);
    h.queue.change('g', ['/conf.d/a.toml'], undefined);
    h.hold = false;
    h.release();
    await vi.runAllTimersAsync();
    h.queue.change('g', ['/conf.d/a.toml'], undefined);
    h.queue.request(['/conf.d/b.toml'], 'interval');
    await vi.runAllTimersAsync();
    expect(h.passes.map((p) => p.reason)).toEqual(['connect', 'change', 'interval']);
    expect(h.watchOnly).toEqual([false, true, false]);
  });

  it('a full request absorbs the single ones queued with it', async () => {
    const h = harness();
    h.queue.request(['/conf.d/a.toml'], 'change');
    h.queue.request('all', 'interval');
    await vi.runAllTimersAsync();
    expect(h.passes).toEqual([{ files: 'all', reason: 'change' }]);
  });

  it('passes and other jobs in the serial lane never overlap', async () => {
    const h = harness();
    const order: string[] = [];
    h.hold = true;
    h.queue.request('all', 'connect');
    await vi.advanceTimersByTimeAsync(0);
    void h.queue.serial(async () => {
      order.push('reload retry');
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(order).toEqual([]); // the pass is still running
    h.hold = false;
    h.release();
    await vi.runAllTimersAsync();
    expect(order).toEqual(['reload retry']);
  });
});

describe('PassQueue: failures and retries', () => {
  const ETCD_FILES = ['/conf.d/a.toml', '/conf.d/b.toml'];

  it('a backend failure requests that backend\'s resources again after its delay', async () => {
    const h = harness();
    h.during.push((q) => q.retryAfter('etcd', 1000, () => ETCD_FILES), (q) => q.retryAfter('etcd', 2000, () => ETCD_FILES));
    h.queue.request(['/conf.d/a.toml'], 'change');
    await vi.advanceTimersByTimeAsync(0);
    expect(h.passes).toHaveLength(1);
    expect(h.queue.retryScheduled('etcd')).toBe(true);
    await vi.advanceTimersByTimeAsync(990);
    expect(h.passes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(h.passes).toEqual([
      { files: ['/conf.d/a.toml'], reason: 'change' },
      { files: ETCD_FILES, reason: 'retry' },
    ]);
    await vi.advanceTimersByTimeAsync(2010);
    expect(h.passes).toHaveLength(3);
    expect(h.queue.retryScheduled('etcd')).toBe(false);
  });

  it('retries of two backends run on their own schedules; a newer failure replaces the older retry', async () => {
    const h = harness();
    h.during.push((q) => {
      q.retryAfter('etcd', 1000, () => ['/conf.d/e.toml']);
      q.retryAfter('redis', 5000, () => ['/conf.d/r.toml']);
      q.retryAfter('etcd', 3000, () => ['/conf.d/e.toml']);
    });
    h.queue.request('all', 'connect');
    await vi.advanceTimersByTimeAsync(2000);
    expect(h.passes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1100);
    expect(h.passes.at(-1)).toEqual({ files: ['/conf.d/e.toml'], reason: 'retry' });
    await vi.advanceTimersByTimeAsync(2000);
    expect(h.passes.at(-1)).toEqual({ files: ['/conf.d/r.toml'], reason: 'retry' });
    expect(h.passes).toHaveLength(3);
  });

  it('retryNow skips the rest of the backoff', async () => {
    const h = harness();
    h.during.push((q) => q.retryAfter('etcd', 30_000, () => 'all'));
    h.queue.request('all', 'connect');
    await vi.advanceTimersByTimeAsync(0);
    h.queue.retryNow('etcd', () => 'all');
    await vi.advanceTimersByTimeAsync(10);
    expect(h.passes.map((p) => p.reason)).toEqual(['connect', 'retry']);
    expect(h.queue.retryScheduled('etcd')).toBe(false);
  });

  it('the retry target is read when the retry fires (membership may change meanwhile)', async () => {
    const h = harness();
    let members = ['/conf.d/a.toml'];
    h.during.push((q) => q.retryAfter('etcd', 1000, () => members));
    h.queue.request('all', 'connect');
    await vi.advanceTimersByTimeAsync(0);
    members = ['/conf.d/a.toml', '/conf.d/new.toml'];
    await vi.advanceTimersByTimeAsync(1010);
    expect(h.passes.at(-1)).toEqual({ files: ['/conf.d/a.toml', '/conf.d/new.toml'], reason: 'retry' });
  });

  it('while no backend can run nothing runs; the reconnect request runs what was pending', async () => {
    const h = harness();
    h.queue.request('all', 'connect');
    await vi.advanceTimersByTimeAsync(0);
    h.backendUp = false;
    h.queue.request(['/conf.d/a.toml'], 'change');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.passes).toHaveLength(1);
    h.backendUp = true;
    h.queue.request(['/conf.d/b.toml'], 'connect');
    await vi.runAllTimersAsync();
    expect(h.passes).toEqual([
      { files: 'all', reason: 'connect' },
      { files: ['/conf.d/a.toml', '/conf.d/b.toml'], reason: 'change' },
    ]);
  });

  it('an error thrown inside the lane is reported and the lane goes on', async () => {
    const h = harness();
    void h.queue.serial(async () => {
      throw new Error('bug');
    });
    h.queue.request('all', 'connect');
    await vi.runAllTimersAsync();
    expect(h.errors).toHaveLength(1);
    expect(h.passes).toHaveLength(1);
  });
});

describe('PassQueue: stop', () => {
  it('no pass starts after stop: pending changes, debounced events and retries are dropped', async () => {
    const h = harness();
    h.during.push((q) => q.retryAfter('etcd', 1000, () => 'all'));
    h.queue.request('all', 'connect');
    await vi.advanceTimersByTimeAsync(0);
    h.queue.change('app', GROUP, { minMs: 100, maxMs: 200 });
    h.queue.stop();
    h.queue.request('all', 'interval');
    h.queue.change('app', GROUP, undefined);
    await vi.runAllTimersAsync();
    expect(h.passes).toHaveLength(1);
  });

  it('the pass in flight finishes, and idle() resolves after it', async () => {
    const h = harness();
    h.hold = true;
    h.queue.request('all', 'connect');
    await vi.advanceTimersByTimeAsync(0);
    let idle = false;
    h.queue.stop();
    void h.queue.idle().then(() => (idle = true));
    await vi.advanceTimersByTimeAsync(100);
    expect(idle).toBe(false);
    h.release();
    await vi.runAllTimersAsync();
    expect(idle).toBe(true);
  });
});
