/**
 * The etcd backend's watch cache against a real etcd: getValues for a watched prefix is
 * answered from the values the watch stream keeps current (no request to etcd), and is
 * always what a real read would return — after puts, deletes, prefix deletes, many keys,
 * odd keys, and an etcd restart. Anything the cache cannot answer at one revision is read.
 */
import { Etcd3 } from 'etcd3';
import { setMaxListeners } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EtcdDatabase } from '../../builtin/databases/etcd/index.js';
import { EtcdCluster, haveEtcd } from '../servers/etcd.js';

const available = haveEtcd();

interface Watching {
  db: EtcdDatabase;
  events: () => number;
  stop: () => Promise<void>;
}

/** Counts the requests the backend sends for reads. */
function countReads(db: EtcdDatabase): () => number {
  const kv = (db as unknown as { client: Etcd3 }).client.kv;
  let reads = 0;
  for (const method of ['range', 'txn'] as const) {
    const original = kv[method].bind(kv) as (...args: unknown[]) => unknown;
    (kv as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      reads++;
      return original(...args);
    };
  }
  return () => reads;
}

async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What the daemon passes for a pass that only watch events caused. */
const AFTER_EVENT = { afterWatchEvent: true } as const;

describe.runIf(available)('etcd watch cache', () => {
  let etcd: EtcdCluster;
  let client: Etcd3;
  let reader: EtcdDatabase;
  const open: Watching[] = [];

  beforeAll(async () => {
    etcd = await EtcdCluster.start(1);
    client = new Etcd3({ hosts: etcd.endpoints });
    reader = new EtcdDatabase();
    await reader.configure({ machines: etcd.endpoints.join(',') });
  });
  afterEach(async () => {
    for (const w of open.splice(0)) await w.stop();
  });
  afterAll(async () => {
    await reader?.close();
    client?.close();
    await etcd?.stop();
  });

  async function watch(prefix: string, keys: string[]): Promise<Watching & { reads: () => number }> {
    const db = new EtcdDatabase();
    await db.configure({ machines: etcd.endpoints.join(',') });
    const reads = countReads(db);
    const abort = new AbortController();
    let events = 0;
    await db.getValues(keys); // as the daemon's first pass
    const loop = (async () => {
      for await (const _ of db.watchPrefix(prefix, keys, abort.signal)) events++;
    })().catch(() => {});
    const w = {
      db,
      reads,
      events: () => events,
      stop: async () => {
        abort.abort();
        await loop;
        await db.close();
      },
    };
    open.push(w);
    return w;
  }

  /** getValues from the cache (no request sent) equals a real read, eventually. */
  async function expectCached(w: Watching & { reads: () => number }, prefixes: string[], what: string): Promise<void> {
    await eventually(async () => {
      const expected = await reader.getValues(prefixes);
      const before = w.reads();
      const got = await w.db.getValues(prefixes, AFTER_EVENT);
      return w.reads() === before && JSON.stringify(sorted(got)) === JSON.stringify(sorted(expected));
    }, what);
  }

  const sorted = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1)));

  it('answers a watched prefix from the cache after puts, deletes and prefix deletes', async () => {
    await client.put('/c1/a').value('1');
    await client.put('/c1/sub/b').value('2');
    await client.put('/c1').value('self');
    await client.put('/c1x/not').value('no');
    await client.put('/c1-sibling').value('no');
    const w = await watch('/c1', ['/c1']);
    await expectCached(w, ['/c1'], 'the initial fill');
    expect(await w.db.getValues(['/c1'], AFTER_EVENT)).toEqual({ '/c1': 'self', '/c1/a': '1', '/c1/sub/b': '2' });

    await client.put('/c1/a').value('changed');
    await expectCached(w, ['/c1'], 'a put');
    expect((await w.db.getValues(['/c1'], AFTER_EVENT))['/c1/a']).toBe('changed');

    await client.delete().key('/c1/a');
    await expectCached(w, ['/c1'], 'a delete');
    expect(await w.db.getValues(['/c1'], AFTER_EVENT)).not.toHaveProperty('/c1/a');

    await client.put('/c1/sub/c').value('3');
    await client.delete().prefix('/c1/sub/');
    await expectCached(w, ['/c1'], 'a prefix delete');
    expect(await w.db.getValues(['/c1'], AFTER_EVENT)).toEqual({ '/c1': 'self' });

    // Keys beside the prefix never enter it, and notify nothing.
    const events = w.events();
    await client.put('/c1x/not').value('still no');
    await client.put('/c1-sibling').value('still no');
    await new Promise((r) => setTimeout(r, 300));
    expect(w.events()).toBe(events);
    expect(await w.db.getValues(['/c1'], AFTER_EVENT)).toEqual({ '/c1': 'self' });
  });

  it('answers from the cache only a read that a watch event caused: start-up, interval and retry reads go to etcd', async () => {
    await client.put('/c9/k').value('v');
    const w = await watch('/c9', ['/c9']);
    await expectCached(w, ['/c9'], 'the fill');
    const before = w.reads();
    expect(await w.db.getValues(['/c9'])).toEqual({ '/c9/k': 'v' });
    expect(await w.db.getValues(['/c9'], { afterWatchEvent: false })).toEqual({ '/c9/k': 'v' });
    expect(w.reads()).toBe(before + 2);
    expect(await w.db.getValues(['/c9'], AFTER_EVENT)).toEqual({ '/c9/k': 'v' });
    expect(w.reads()).toBe(before + 2);
  });

  it('answers a sub-prefix from the cache by whole segment, with verbatim odd keys', async () => {
    await client.put('/c2/db/host').value('h');
    await client.put('/c2/dbx/host').value('x');
    await client.put('/c2/db/../up').value('dots');
    await client.put('/c2//db/twice').value('slashes');
    const w = await watch('/c2', ['/c2']);
    for (const prefixes of [['/c2'], ['/c2/db'], ['/c2/db', '/c2/dbx'], ['/c2/nothing']]) await expectCached(w, prefixes, `prefixes ${prefixes}`);
    expect(await w.db.getValues(['/c2/db'], AFTER_EVENT)).toEqual({ '/c2/db/host': 'h', '/c2/db/../up': 'dots' });
  });

  it('keeps many keys (more than a page) current', async () => {
    const w = await watch('/c3', ['/c3']);
    await expectCached(w, ['/c3'], 'the empty fill');
    for (let i = 0; i < 2500; i += 250) {
      await Promise.all(Array.from({ length: 250 }, (_, j) => client.put(`/c3/k${String(i + j).padStart(5, '0')}`).value(`v${i + j}`)));
    }
    await expectCached(w, ['/c3'], '2500 keys');
    expect(Object.keys(await w.db.getValues(['/c3'], AFTER_EVENT))).toHaveLength(2500);
    await client.delete().prefix('/c3/k01');
    await expectCached(w, ['/c3'], 'a prefix delete of 1000 keys');
    expect(Object.keys(await w.db.getValues(['/c3'], AFTER_EVENT))).toHaveLength(1500);
  });

  it('a transaction is seen whole: one revision for the key and the keys below it', async () => {
    await client.put('/c4').value('r0');
    await client.put('/c4/x').value('r0');
    const w = await watch('/c4', ['/c4']);
    await expectCached(w, ['/c4'], 'the fill');
    for (let i = 1; i <= 20; i++) {
      await client.stm().transact(async (tx) => {
        tx.put('/c4').value(`r${i}`);
        tx.put('/c4/x').value(`r${i}`);
      });
      const values = await w.db.getValues(['/c4'], AFTER_EVENT);
      expect(values['/c4']).toBe(values['/c4/x']);
    }
    await expectCached(w, ['/c4'], 'the last transaction');
  });

  it('reads what the cache cannot answer at one revision: prefixes of two watches, unwatched prefixes', async () => {
    await client.put('/c5a/k').value('a');
    await client.put('/c5b/k').value('b');
    const w = await watch('/', ['/c5a', '/c5b']);
    await expectCached(w, ['/c5a'], 'one watched range');
    const before = w.reads();
    expect(await w.db.getValues(['/c5a', '/c5b'], AFTER_EVENT)).toEqual({ '/c5a/k': 'a', '/c5b/k': 'b' });
    expect(await w.db.getValues(['/c5c'], AFTER_EVENT)).toEqual({});
    expect(w.reads()).toBe(before + 2);
  });

  it('two watches of the same key share one watcher; the cache lives until the last one ends', async () => {
    await client.put('/c6/k').value('1');
    const db = new EtcdDatabase();
    await db.configure({ machines: etcd.endpoints.join(',') });
    const watchers = () => ((db as unknown as { watched: Map<string, { watchers: unknown[] }> }).watched.get('/c6')?.watchers.length ?? 0);
    const a = new AbortController();
    const b = new AbortController();
    const run = (signal: AbortSignal) => (async () => { for await (const _ of db.watchPrefix('/c6', ['/c6'], signal)); })().catch(() => {});
    const first = run(a.signal);
    const second = run(b.signal);
    await eventually(() => watchers() === 1, 'the shared watcher');
    await new Promise((r) => setTimeout(r, 200));
    expect(watchers()).toBe(1);
    a.abort();
    await first;
    expect(watchers()).toBe(1);
    b.abort();
    await second;
    expect(watchers()).toBe(0);
    await db.close();
  });

  it('reads many prefixes (several transactions) at one revision, and fills 150 watches with a few batched reads', async () => {
    const keys = Array.from({ length: 150 }, (_, i) => `/c8/p${String(i).padStart(3, '0')}`);
    await Promise.all(keys.map((key, i) => client.put(`${key}/v`).value(`v${i}`)));
    const db = new EtcdDatabase();
    await db.configure({ machines: etcd.endpoints.join(',') });
    const reads = countReads(db);
    // 150 prefixes are 300 ranges: three transactions.
    const all = await db.getValues(keys);
    expect(Object.keys(all)).toHaveLength(150);
    expect(all['/c8/p149/v']).toBe('v149');
    expect(reads()).toBe(3);
    const abort = new AbortController();
    setMaxListeners(200, abort.signal);
    const loops = keys.map((key) => (async () => { for await (const _ of db.watchPrefix(key, [key], abort.signal)); })().catch(() => {}));
    const filled = async () => {
      const before = reads();
      for (const [i, key] of keys.entries()) if ((await db.getValues([key], AFTER_EVENT))[`${key}/v`] !== `v${i}`) return false;
      return reads() === before;
    };
    const states = () => [...(db as unknown as { watched: Map<string, { state: string }> }).watched.values()].map((r) => r.state);
    await eventually(() => states().length === 150 && states().every((state) => state === 'current'), 'every watch filled');
    // Filled in batches of at most 64 ranges, each batch one read (a transaction).
    expect(reads() - 3).toBeLessThanOrEqual(5);
    expect(await filled()).toBe(true);
    await client.put('/c8/p042/v').value('changed');
    await eventually(async () => (await db.getValues(['/c8/p042'], AFTER_EVENT))['/c8/p042/v'] === 'changed', 'the change');
    abort.abort();
    await Promise.all(loops);
    await db.close();
  });

  it('after etcd restarts, the cache is refilled: reads meanwhile, then cached values that match etcd', async () => {
    await client.put('/c7/k').value('before');
    await client.put('/c7/gone').value('x');
    const w = await watch('/c7', ['/c7']);
    await expectCached(w, ['/c7'], 'the fill');
    await etcd.members[0].process.kill();
    await new Promise((r) => setTimeout(r, 1000));
    await etcd.members[0].process.start();
    await client.put('/c7/k').value('after');
    await client.delete().key('/c7/gone');
    await client.put('/c7/new').value('n');
    await expectCached(w, ['/c7'], 'the refill after the restart');
    expect(await w.db.getValues(['/c7'], AFTER_EVENT)).toEqual({ '/c7/k': 'after', '/c7/new': 'n' });
    await client.put('/c7/k').value('later');
    await expectCached(w, ['/c7'], 'a put after the refill');
    expect((await w.db.getValues(['/c7'], AFTER_EVENT))['/c7/k']).toBe('later');
  });
});
