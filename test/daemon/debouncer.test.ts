import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Debouncer } from '../../src/daemon/debouncer.js';

describe('Debouncer (consul-template wait semantics, fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('without a wait spec fires once on the next check phase for pokes in the same tick, with no timer', async () => {
    let fired = 0;
    const d = new Debouncer(undefined, () => fired++);
    d.poke();
    d.poke();
    d.poke();
    expect(fired).toBe(0);
    expect(d.pending).toBe(true);
    // setImmediate, not setTimeout(0): no clock time needs to pass.
    await vi.advanceTimersByTimeAsync(0);
    expect(fired).toBe(1);
    expect(d.pending).toBe(false);
    await vi.runAllTimersAsync();
    expect(fired).toBe(1);
  });

  it('a 0:0 wait spec behaves like no wait spec', async () => {
    let fired = 0;
    const d = new Debouncer({ minMs: 0, maxMs: 0 }, () => fired++);
    d.poke();
    d.poke();
    await vi.advanceTimersByTimeAsync(0);
    expect(fired).toBe(1);
  });

  it('a burst of pokes within min fires exactly once, min after the last poke', async () => {
    const fires: number[] = [];
    const d = new Debouncer({ minMs: 100, maxMs: 1000 }, () => fires.push(Date.now()));
    const start = Date.now();
    for (let i = 0; i < 10; i++) {
      d.poke();
      await vi.advanceTimersByTimeAsync(20);
    }
    const lastPoke = Date.now() - 20;
    await vi.advanceTimersByTimeAsync(300);
    expect(fires).toHaveLength(1);
    expect(fires[0] - lastPoke).toBe(100);
    expect(fires[0] - start).toBeLessThan(1000);
  });

  it('never waits longer than max after the first poke, however long the burst lasts', async () => {
    const fires: number[] = [];
    const d = new Debouncer({ minMs: 100, maxMs: 250 }, () => fires.push(Date.now()));
    const start = Date.now();
    while (Date.now() < start + 600) {
      d.poke();
      await vi.advanceTimersByTimeAsync(30);
    }
    d.cancel();
    // A continuous burst of 600 ms with max 250 ms: fired at 250 and ~500, never at min after a poke.
    expect(fires.length).toBeGreaterThanOrEqual(2);
    expect(fires[0] - start).toBe(250);
    expect(fires[1] - fires[0]).toBeLessThanOrEqual(280);
  });

  it('cancel drops a scheduled firing', async () => {
    let fired = 0;
    const d = new Debouncer({ minMs: 30, maxMs: 120 }, () => fired++);
    d.poke();
    expect(d.pending).toBe(true);
    d.cancel();
    await vi.advanceTimersByTimeAsync(80);
    expect(fired).toBe(0);
    expect(d.pending).toBe(false);
  });

  it('cancel drops a firing scheduled without a wait spec', async () => {
    let fired = 0;
    const d = new Debouncer(undefined, () => fired++);
    d.poke();
    d.cancel();
    await vi.runAllTimersAsync();
    expect(fired).toBe(0);
    expect(d.pending).toBe(false);
  });

  it('a poke after a firing starts a new burst', async () => {
    let fired = 0;
    const d = new Debouncer({ minMs: 30, maxMs: 120 }, () => fired++);
    d.poke();
    await vi.advanceTimersByTimeAsync(80);
    d.poke();
    await vi.advanceTimersByTimeAsync(80);
    expect(fired).toBe(2);
  });

  it('a wait spec set while a tick firing is pending starts the quiescence from that poke', async () => {
    const fires: number[] = [];
    const d = new Debouncer(undefined, () => fires.push(Date.now()));
    const start = Date.now();
    d.poke();
    d.setWait({ minMs: 50, maxMs: 200 });
    d.poke();
    await vi.advanceTimersByTimeAsync(300);
    expect(fires).toEqual([start + 50]);
  });
});
