import { describe, expect, it } from 'vitest';
import { SnapshotFeeds } from '../../builtin/databases/snapshot-feeds.js';
import { settledNow } from '../helpers/promises.js';

describe('SnapshotFeeds (whole-document change notifications)', () => {
  it('wakes a subscriber only when values under its keys change', async () => {
    const feeds = new SnapshotFeeds();
    feeds.returned({ '/app/port': '1', '/other': '1' });
    const abort = new AbortController();
    const changes = feeds.subscribe('/app', ['/app'], abort.signal)[Symbol.asyncIterator]();
    const next = changes.next();
    feeds.publish({ '/app/port': '1', '/other': '2' });
    expect(await settledNow(next)).toBe(false);
    feeds.publish({ '/app/port': '1', '/app/host': 'h', '/other': '2' });
    expect((await next).done).toBe(false);
    abort.abort();
    expect((await changes.next()).done).toBe(true);
    expect(feeds.subscriberCount).toBe(0);
  });

  it('reports at once a change that arrived between the last read and the subscription', async () => {
    const feeds = new SnapshotFeeds();
    feeds.returned({ '/a': '1' });
    feeds.publish({ '/a': '2' });
    const abort = new AbortController();
    const changes = feeds.subscribe('/', ['/a'], abort.signal)[Symbol.asyncIterator]();
    expect(await settledNow(changes.next())).toBe(true);
    abort.abort();
  });

  it('a read of a newer document wakes subscribers that have not seen it', async () => {
    const feeds = new SnapshotFeeds();
    feeds.returned({ '/a': '1', '/b': '1' });
    const abort = new AbortController();
    const a = feeds.subscribe('/a', ['/a'], abort.signal)[Symbol.asyncIterator]();
    const b = feeds.subscribe('/b', ['/b'], abort.signal)[Symbol.asyncIterator]();
    const nextA = a.next();
    const nextB = b.next();
    // A pass for /a's resources read the new document: /b's resources still need it.
    feeds.returned({ '/a': '2', '/b': '2' });
    expect(await settledNow(nextA)).toBe(true);
    expect(await settledNow(nextB)).toBe(true);
    abort.abort();
  });
});
