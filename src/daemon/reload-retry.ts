/**
 * A reload_cmd that failed after dest was written is retried with backoff until it
 * succeeds, or until a later render of the same resource runs its own reload
 * (it supersedes the retry). Each failure is reported.
 */
import { reportError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { runReload, type CommandObserver } from '../resource/sync/index.js';
import type { TemplateResource } from '../resource/template-resource.js';
import { Backoff, MAX_BACKOFF_MS } from './backoff.js';

interface PendingRetry {
  resource: TemplateResource;
  backoff: Backoff;
  timer: NodeJS.Timeout | undefined;
}

/** Runs a job in the daemon's serial lane, so a retry never overlaps a render. */
export type SerialRunner = (job: () => Promise<void>) => Promise<void>;

export class ReloadRetries {
  private readonly pending = new Map<string, PendingRetry>();

  constructor(
    private readonly serial: SerialRunner,
    private readonly logger: () => Logger,
    private readonly initialMs = 1000,
    /** Aborted at shutdown: a reload in flight is killed with its process group. */
    private readonly signal?: AbortSignal,
    /** Told of every retried reload_cmd (the daemon's metrics). */
    private readonly onCommand?: CommandObserver,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /** reload_cmd failed for `resource`: (re)start its retries. */
  failed(resource: TemplateResource): void {
    const existing = this.pending.get(resource.file);
    if (existing) clearTimeout(existing.timer);
    const retry: PendingRetry = existing ?? { resource, backoff: new Backoff({ initialMs: this.initialMs, maxMs: MAX_BACKOFF_MS }), timer: undefined };
    retry.resource = resource;
    this.pending.set(resource.file, retry);
    this.schedule(retry);
  }

  /** A newer render ran this resource's reload (or the resource is gone): stop retrying. */
  supersede(file: string): void {
    const retry = this.pending.get(file);
    if (!retry) return;
    clearTimeout(retry.timer);
    this.pending.delete(file);
  }

  stopAll(): void {
    for (const retry of this.pending.values()) clearTimeout(retry.timer);
    this.pending.clear();
  }

  private schedule(retry: PendingRetry): void {
    const delay = retry.backoff.next();
    this.logger().info(`retrying reload_cmd for ${retry.resource.dest} in ${delay / 1000}s`, { resource: retry.resource.file });
    retry.timer = setTimeout(() => {
      void this.serial(() => this.attempt(retry));
    }, delay);
  }

  private async attempt(retry: PendingRetry): Promise<void> {
    if (this.pending.get(retry.resource.file) !== retry) return; // superseded meanwhile
    try {
      await runReload(retry.resource, this.logger(), { signal: this.signal, onCommand: this.onCommand });
      this.pending.delete(retry.resource.file);
      this.logger().withContext({ resource: retry.resource.file, dest: retry.resource.dest }).info(`reload_cmd for ${retry.resource.dest} succeeded after ${retry.backoff.attempts} retries`);
    } catch (error) {
      if (this.pending.get(retry.resource.file) !== retry) return;
      reportError(this.logger(), error, { fields: { dest: retry.resource.dest } });
      this.schedule(retry);
    }
  }
}
