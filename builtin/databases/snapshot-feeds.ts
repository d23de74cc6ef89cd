/**
 * Change notifications for backends that learn about changes by reading a whole new
 * document (the http backend's conditional polls, an exec stream): each watchPrefix
 * subscriber is woken only when the values under its keys differ from those it last
 * saw, so a new document that changes nothing it uses costs no render.
 *
 * A subscriber's starting point is the document the last getValues returned: a change
 * that arrived between that read and the subscription is reported at once, not lost.
 */
import type { KeyValues } from '../../src/database/database.js';
import { ChangeFeed } from '../../src/database/change-feed.js';
import { cleanKey, pickUnder } from '../../src/database/key-path.js';

interface Subscriber {
  keys: string[];
  seen: KeyValues | undefined;
  feed: ChangeFeed;
}

export class SnapshotFeeds {
  private lastReturned: KeyValues | undefined;
  private latest: KeyValues | undefined;
  private readonly subscribers = new Set<Subscriber>();

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** getValues answered from this document. */
  returned(document: KeyValues): void {
    this.lastReturned = document;
    this.publish(document);
  }

  /** A new document is known; wakes every subscriber whose keys' values changed. */
  publish(document: KeyValues): void {
    this.latest = document;
    for (const subscriber of this.subscribers) this.offer(subscriber, document);
  }

  /** Wakes every subscriber, e.g. so the caller's next read reports a failure. */
  wakeAll(): void {
    for (const subscriber of this.subscribers) subscriber.feed.notify();
  }

  /** Yields once per relevant change until `signal` aborts. */
  async *subscribe(prefix: string, keys: readonly string[], signal: AbortSignal): AsyncGenerator<void> {
    const subscriber: Subscriber = {
      keys: keys.length > 0 ? keys.map(cleanKey) : [cleanKey(prefix)],
      seen: this.lastReturned,
      feed: new ChangeFeed(),
    };
    this.subscribers.add(subscriber);
    try {
      if (this.latest !== undefined) this.offer(subscriber, this.latest);
      yield* subscriber.feed.changes(signal);
    } finally {
      this.subscribers.delete(subscriber);
    }
  }

  private offer(subscriber: Subscriber, document: KeyValues): void {
    if (subscriber.seen !== undefined && sameValues(pickUnder(subscriber.seen, subscriber.keys), pickUnder(document, subscriber.keys))) {
      subscriber.seen = document;
      return;
    }
    subscriber.seen = document;
    subscriber.feed.notify();
  }
}

function sameValues(a: KeyValues, b: KeyValues): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}
