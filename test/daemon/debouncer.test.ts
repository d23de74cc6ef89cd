import { describe, expect, it } from 'vitest';
import { Debouncer } from '../../src/daemon/debouncer.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Debouncer (consul-template wait semantics, real timers)', () => {
  it('without a wait spec fires once on the next tick for pokes in the same tick', async () => {
    let fired = 0;
    const d = new Debouncer(undefined, () => fired++);
    d.poke();
    d.poke();
    d.poke();
    expect(fired).toBe(0);
    await sleep(20);
    expect(fired).toBe(1);
  });

  it('a burst of pokes within min fires exactly once, min after the last poke', async () => {
    const fires: number[] = [];
    const d = new Debouncer({ minMs: 100, maxMs: 1000 }, () => fires.push(Date.now()));
    const start = Date.now();
    for (let i = 0; i < 10; i++) {
      d.poke();
      await sleep(20);
    }
    const lastPoke = Date.now() - 20;
    await sleep(300);
    expect(fires).toHaveLength(1);
    expect(fires[0] - lastPoke).toBeGreaterThanOrEqual(90);
    expect(fires[0] - start).toBeLessThan(1000);
  });

  it('never waits longer than max after the first poke, however long the burst lasts', async () => {
    const fires: number[] = [];
    const d = new Debouncer({ minMs: 100, maxMs: 250 }, () => fires.push(Date.now()));
    const start = Date.now();
    const until = start + 600;
    while (Date.now() < until) {
      d.poke();
      await sleep(30);
    }
    d.cancel();
    // A continuous burst of 600 ms with max 250 ms: fired at ~250 and ~500, never at min after a poke.
    expect(fires.length).toBeGreaterThanOrEqual(2);
    expect(fires[0] - start).toBeGreaterThanOrEqual(240);
    expect(fires[0] - start).toBeLessThan(350);
  });

  it('cancel drops a scheduled firing', async () => {
    let fired = 0;
    const d = new Debouncer({ minMs: 30, maxMs: 120 }, () => fired++);
    d.poke();
    expect(d.pending).toBe(true);
    d.cancel();
    await sleep(80);
    expect(fired).toBe(0);
    expect(d.pending).toBe(false);
  });

  it('a poke after a firing starts a new burst', async () => {
    let fired = 0;
    const d = new Debouncer({ minMs: 30, maxMs: 120 }, () => fired++);
    d.poke();
    await sleep(80);
    d.poke();
    await sleep(80);
    expect(fired).toBe(2);
  });
});
