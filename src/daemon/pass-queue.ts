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
 *   retryAfter     a backend failed: its resources are requested again after its backoff
 *                  (one timer per backend; a newer failure replaces the timer)
 *   stop()         no pass starts after it; the pass in flight finishes
 */
import type { WaitSpec } from '../config/settings.js';
import { Debouncer } from './debouncer.js';

export interface PassRequest {
  /** Every resource, or these conf.d files. */
  files: 'all' | readonly string[];
  /** Why the first of the merged requests was made (`change`, `interval`, `retry`, …). */
  reason: string;
  /** Every merged request came from a watch event (`change`): backends may answer from their watches. */
  onlyWatchEvents: boolean;
}

/** Which resources a retry requests, decided when it fires (membership may change meanwhile). */
export type RetryTarget = () => 'all' | readonly string[];

export interface PassQueueDeps {
  /** Runs one pass; a backend failure is the runner's to report (with retryAfter). */
  runPass(request: PassRequest): Promise<void>;
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
  private pendingOnlyWatchEvents = true;
  private draining = false;
  private stopped = false;
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private tail: Promise<void> = Promise.resolve();
  private readonly debouncers = new Map<string, GroupDebouncer>();

  constructor(private readonly deps: PassQueueDeps) {}

  /** True while a retry for `key` (a backend) is scheduled. */
  retryScheduled(key: string): boolean {
    return this.retryTimers.has(key);
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
    this.pendingOnlyWatchEvents &&= reason === 'change';
  }

  /** Requests `target` after `delayMs`, replacing the retry already scheduled for `key`. */
  retryAfter(key: string, delayMs: number, target: RetryTarget): void {
    if (this.stopped) return;
    this.cancelRetry(key);
    this.retryTimers.set(
      key,
      setTimeout(() => {
        this.retryTimers.delete(key);
        this.request(target(), 'retry');
      }, delayMs),
    );
  }

  /** The backend `key` answers again: skip the rest of its backoff. */
  retryNow(key: string, target: RetryTarget): void {
    this.cancelRetry(key);
    this.request(target(), 'retry');
  }

  /** Drops the retry of `key` (its backend was removed or replaced). */
  cancelRetry(key: string): void {
    clearTimeout(this.retryTimers.get(key));
    this.retryTimers.delete(key);
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
        this.kick(); // work queued while the drain was finishing
      });
    });
  }

  /** No pass starts after this; pending work and scheduled retries are dropped. */
  stop(): void {
    this.stopped = true;
    for (const key of [...this.retryTimers.keys()]) this.cancelRetry(key);
    for (const { debouncer } of this.debouncers.values()) debouncer.cancel();
    this.debouncers.clear();
    this.pending.clear();
    this.pendingAll = false;
    this.pendingOnlyWatchEvents = true;
  }

  private hasPending(): boolean {
    return this.pendingAll || this.pending.size > 0;
  }

  private async drain(): Promise<void> {
    while (!this.stopped && this.hasPending() && this.deps.canRun()) {
      const request: PassRequest = { files: this.pendingAll ? 'all' : [...this.pending], reason: this.pendingReason, onlyWatchEvents: this.pendingOnlyWatchEvents };
      this.pending = new Set();
      this.pendingAll = false;
      this.pendingReason = '';
      this.pendingOnlyWatchEvents = true;
      await this.deps.runPass(request);
    }
  }
}
