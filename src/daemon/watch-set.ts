/**
 * The running watches of one backend connection. Each group's watch is a loop: open
 * `watchPrefix`, report every event, and when the stream fails, report the failure,
 * wait with backoff and re-open (then report an event: changes may have been missed
 * while it was down). A backend that cannot watch is reported once and left to the
 * interval poll.
 */
import { WatchUnsupportedError, type Database } from '../database/database.js';
import { toConfdError, type ConfdError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { Backoff, MAX_BACKOFF_MS, sleep } from './backoff.js';
import type { WatchGroup } from './watch-groups.js';

export interface WatchHandlers {
  /** Something under the group's prefix may have changed. */
  onEvent(group: WatchGroup): void;
  /** The watch failed (not "unsupported"); it will be re-opened with backoff. */
  onError(group: WatchGroup, error: ConfdError): void;
  /** The backend cannot watch this prefix; it is polled instead. */
  onUnsupported(group: WatchGroup, error: Error): void;
}

interface RunningWatch {
  group: WatchGroup;
  abort: AbortController;
  done: Promise<void>;
}

export class WatchSet {
  private readonly running = new Map<string, RunningWatch>();

  constructor(
    private readonly database: Database,
    private readonly backend: string,
    private readonly handlers: WatchHandlers,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.running.size;
  }

  /**
   * Makes the running watches match `groups`: keeps identical ones, stops the rest and
   * opens the new ones. A kept group gets its (possibly new) member list.
   */
  update(groups: readonly WatchGroup[]): void {
    const wanted = new Map(groups.map((g) => [g.identity, g]));
    for (const [id, watch] of this.running) {
      if (!wanted.has(id)) {
        watch.abort.abort();
        this.running.delete(id);
      }
    }
    for (const [id, group] of wanted) {
      const existing = this.running.get(id);
      if (existing) existing.group.resources = group.resources;
      else this.running.set(id, this.start({ ...group }));
    }
  }

  /** Stops every watch and waits for the loops to end. */
  async close(): Promise<void> {
    const all = [...this.running.values()];
    this.running.clear();
    for (const watch of all) watch.abort.abort();
    await Promise.allSettled(all.map((w) => w.done));
  }

  private start(group: WatchGroup): RunningWatch {
    const abort = new AbortController();
    const done = this.loop(group, abort.signal);
    return { group, abort, done };
  }

  private async loop(group: WatchGroup, signal: AbortSignal): Promise<void> {
    const backoff = new Backoff({ initialMs: 1000, maxMs: MAX_BACKOFF_MS });
    let reopened = false;
    while (!signal.aborted) {
      if (this.logger.enabled('debug')) this.logger.debug(`watchPrefix ${group.prefix}`, { backend: this.backend, keys: group.keys.join(','), resources: group.resources.length });
      try {
        if (reopened) this.handlers.onEvent(group);
        for await (const _ of this.database.watchPrefix(group.prefix, group.keys, signal)) {
          if (signal.aborted) return;
          backoff.reset();
          if (this.logger.enabled('debug')) this.logger.debug(`watch event for ${group.prefix}`, { backend: this.backend });
          this.handlers.onEvent(group);
        }
        if (signal.aborted) return;
        throw new Error(`watch of ${group.prefix} ended unexpectedly`);
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof WatchUnsupportedError) {
          this.handlers.onUnsupported(group, error);
          return;
        }
        this.handlers.onError(group, toConfdError(error, { backend: this.backend }));
      }
      reopened = true;
      await sleep(backoff.next(), signal);
    }
  }
}
