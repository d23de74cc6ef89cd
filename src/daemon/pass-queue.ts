/**
 * When the daemon renders: the queue of resources waiting for a pass, the debouncing of
 * change events, the retry after a failed pass, and the one serial lane that every pass
 * and reload retry runs in (so two never touch the same dest at once).
 *
 *   change(group)  debounced per group: a group's change gives ONE request for all of
 *                  its resources, whatever the timer phases (one debouncer per group and
 *                  wait spec, never one per resource)
 *   request(...)   marks resources (or all) pending and starts a drain
 *   drain          runs passes until nothing is pending; requests that arrive while a
 *                  pass runs are merged into the next pass
 *   failure        everything is pending again; the runner says when to retry (or that
 *                  something else — a reconnect — will request again)
 *   stop()         no pass starts after it; the pass in flight finishes
 */
import type { WaitSpec } from '../config/settings.js';
import { Debouncer } from './debouncer.js';

/** What a pass attempt came to. */
export type PassVerdict =
  | { kind: 'done' }
  /** The backend failed: run a full pass again after `delayMs`. */
  | { kind: 'retry'; delayMs: number }
  /** The backend is gone; whoever brings it back requests a full pass. */
  | { kind: 'wait' };

export interface PassRequest {
  /** Every resource, or these conf.d files. */
  files: 'all' | readonly string[];
  /** Why the first of the merged requests was made (`change`, `interval`, `retry`, …). */
  reason: string;
}

export interface PassQueueDeps {
  /** Runs one pass; never throws (a thrown error is logged by the lane and counted as done). */
  runPass(request: PassRequest): Promise<PassVerdict>;
  /** False while there is no backend to run a pass against. */
  canRun(): boolean;
  /** Reports an error thrown by a job in the lane (a bug, not a backend failure). */
  onInternalError(error: unknown): void;
}

interface GroupDebouncer {
  debouncer: Debouncer;
  files: readonly string[];
}

export class PassQueue {
  private pending = new Set<string>();
  private pendingAll = false;
  private pendingReason = '';
  private draining = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private tail: Promise<void> = Promise.resolve();
  private readonly debouncers = new Map<string, GroupDebouncer>();

  constructor(private readonly deps: PassQueueDeps) {}

  /** True while a retry after a failed pass is scheduled. */
  get retryScheduled(): boolean {
    return this.retryTimer !== undefined;
  }

  /** Runs `job` after every job queued before it; errors are reported, never thrown. */
  serial(job: () => Promise<void>): Promise<void> {
    const run = this.tail.then(job).catch((error: unknown) => this.deps.onInternalError(error));
    this.tail = run;
    return run;
  }

  /** Resolves when the lane is empty (the pass or retry in flight has finished). */
  idle(): Promise<void> {
    return this.tail;
  }

  /**
   * Something under a group changed: request its resources once the group's wait has
   * passed. `key` names the group and its wait spec; `files` are its resources now.
   */
  change(key: string, files: readonly string[], wait: WaitSpec | undefined): void {
    if (this.stopped) return;
    let entry = this.debouncers.get(key);
    if (!entry) {
      const created: GroupDebouncer = {
        files,
        debouncer: new Debouncer(wait, () => {
          this.debouncers.delete(key);
          this.request(created.files, 'change');
        }),
      };
      entry = created;
      this.debouncers.set(key, entry);
    }
    entry.files = files;
    entry.debouncer.poke();
  }

  /** Queues resources (or all of them) for the next pass, and starts a drain. */
  request(files: 'all' | readonly string[], reason: string): void {
    if (this.stopped) return;
    this.markPending(files, reason);
    this.kick();
  }

  /** Queues without starting a drain (the caller kicks later, e.g. after reconnecting). */
  markPending(files: 'all' | readonly string[], reason: string): void {
    if (files === 'all') this.pendingAll = true;
    else for (const file of files) this.pending.add(file);
    this.pendingReason ||= reason;
  }

  /** A full pass after `delayMs`, replacing any retry already scheduled. */
  retryAfter(delayMs: number): void {
    if (this.stopped) return;
    this.cancelRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.request('all', 'retry');
    }, delayMs);
  }

  /** The backend answers again: skip the rest of the backoff. */
  retryNow(): void {
    this.cancelRetry();
    this.request('all', 'retry');
  }

  /** Starts a drain if there is work and a backend (after a reconnect). */
  kick(): void {
    if (this.draining || this.stopped || !this.hasPending() || !this.deps.canRun()) return;
    this.draining = true;
    // setImmediate: debouncers that fire in the same timers phase (several groups
    // changed at once) are merged into one pass, one getValues.
    setImmediate(() => {
      void this.serial(() => this.drain()).finally(() => {
        this.draining = false;
        // Work queued while the drain was finishing; not after a failure (the retry owns that).
        if (this.retryTimer === undefined) this.kick();
      });
    });
  }

  /** No pass starts after this; pending work and scheduled retries are dropped. */
  stop(): void {
    this.stopped = true;
    this.cancelRetry();
    for (const { debouncer } of this.debouncers.values()) debouncer.cancel();
    this.debouncers.clear();
    this.pending.clear();
    this.pendingAll = false;
  }

  private hasPending(): boolean {
    return this.pendingAll || this.pending.size > 0;
  }

  private cancelRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private async drain(): Promise<void> {
    while (!this.stopped && this.hasPending() && this.deps.canRun()) {
      const request: PassRequest = { files: this.pendingAll ? 'all' : [...this.pending], reason: this.pendingReason };
      this.pending = new Set();
      this.pendingAll = false;
      this.pendingReason = '';
      this.cancelRetry();
      const verdict = await this.deps.runPass(request);
      if (verdict.kind === 'done') continue;
      // Everything is fetched again once the backend answers: changes made during the
      // outage may touch any resource.
      this.markPending('all', 'retry');
      if (verdict.kind === 'retry') this.retryAfter(verdict.delayMs);
      return;
    }
  }
}
