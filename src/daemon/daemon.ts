/**
 * `confd watch`: decides WHEN a render pass runs and WHICH resources it covers; the
 * pass itself is src/resource/pass.ts, the same one `confd render` uses.
 *
 *   start    load conf.d → open the backend → one watch per distinct prefix → full pass
 *   event    debounce the group (wait = min:max) → one pass for its resources
 *   interval full pass (the poll for backends that cannot watch; a resync for the rest)
 *   failure  backend error → full pass again with backoff (capped 30 s), logged once
 *            per change of state; a dead plugin is restarted with backoff, configured,
 *            watched and re-fetched
 *   SIGHUP   re-read settings and conf.d; apply the differences; keep the backend when
 *            its settings did not change
 *   SIGTERM  finish the pass in flight, stop watches and the backend, exit 0 (< 5 s)
 *
 * This file wires the parts: PassQueue (when), BackendConnection (the backend, its
 * watches and restarts), ResourceSet (what), ReloadRetries (failed reload_cmd).
 */
import { backendSpec } from '../backends/index.js';
import type { Settings, WaitSpec } from '../config/settings.js';
import { formatError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { loadResources } from '../resource/load.js';
import { passOptions, renderPass, type ResourceOutcome } from '../resource/pass.js';
import { TemplateEngine } from '../template/index.js';
import { BackendConnection, type OpenBackend } from './backend-connection.js';
import { PassQueue, type PassRequest, type PassVerdict } from './pass-queue.js';
import { ReloadRetries } from './reload-retry.js';
import { ResourceSet, type ResourceChanges } from './resource-set.js';
import { installSignalHandlers } from './signals.js';
import { groupByPrefix, watchIdentity, type WatchGroup } from './watch-groups.js';

export interface DaemonDeps {
  /** Re-reads settings on SIGHUP (flags > env > file > defaults). Without it SIGHUP reloads conf.d only. */
  reloadSettings?: () => Promise<Settings>;
  openDatabase: OpenBackend;
  /** How long SIGTERM may wait for the pass in flight (default 3 s). */
  stopTimeoutMs?: number;
}

export class WatchDaemon {
  private readonly resources = new ResourceSet();
  private readonly engine = new TemplateEngine();
  private readonly reloads: ReloadRetries;
  private readonly queue: PassQueue;
  private readonly backend: BackendConnection;
  private readonly resourceErrors = new Map<string, string>();
  private intervalTimer: NodeJS.Timeout | undefined;

  private stopping = false;
  private resolveStopped!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.resolveStopped = resolve));

  constructor(
    private settings: Settings,
    private readonly logger: Logger,
    private readonly deps: DaemonDeps,
  ) {
    this.queue = new PassQueue({
      runPass: (request) => this.runPass(request),
      canRun: () => this.backend.usable,
      onInternalError: (error) => this.logger.error(`internal error: ${formatError(error)}`),
    });
    this.reloads = new ReloadRetries((job) => this.queue.serial(job), () => this.logger);
    this.backend = new BackendConnection(backendSpec(settings), this.connectionOptions(settings), {
      opened: () => this.queue.request('all', 'connect'),
      changed: (group) => this.onWatchEvent(group),
      failed: (delayMs) => this.queue.retryAfter(delayMs),
      lost: () => this.queue.markPending('all', 'plugin restart'),
    });
  }

  /** Runs until SIGTERM/SIGINT (exit code 0) or a fatal start-up error (1). */
  async run(): Promise<number> {
    const disposeSignals = installSignalHandlers({
      reload: () => void this.queue.serial(() => this.reload()),
      stop: (signal) => this.stop(`caught ${signal}`),
    });
    // With no watch and `--interval 0` nothing else holds the event loop, and Node would
    // exit after the first pass; the daemon runs until it is stopped.
    const keepAlive = setInterval(() => {}, 2 ** 31 - 1);
    try {
      if (!(await this.loadConfD(this.settings))) return 1;
      this.backend.setGroups(groupByPrefix(this.resources.all()));
      await this.backend.connect();
      if (this.backend.fatal) {
        this.logger.error(formatError(this.backend.fatal));
        return 1;
      }
      this.announce();
      this.startInterval();
      await this.stopped;
      await this.shutdown();
      return 0;
    } finally {
      clearInterval(keepAlive);
      disposeSignals();
    }
  }

  /** Asks the daemon to stop (signals call this; so can tests and embedders). */
  stop(why: string): void {
    if (this.stopping) return;
    this.stopping = true;
    this.logger.info(`${why}; finishing the sync in flight and stopping`);
    this.resolveStopped();
  }

  private connectionOptions(settings: Settings) {
    return { open: this.deps.openDatabase, logger: () => this.logger, watch: settings.watch, interval: settings.interval };
  }

  // ── resources ──────────────────────────────────────────────────────────────

  /** Loads conf.d into the resource set; undefined only when conf.d cannot be read at all. */
  private async loadConfD(settings: Settings): Promise<ResourceChanges | undefined> {
    let loaded;
    try {
      loaded = await loadResources(settings);
    } catch (error) {
      this.logger.error(formatError(error));
      return undefined;
    }
    for (const warning of loaded.warnings) this.logger.warn(warning);
    const changes = this.resources.apply(loaded.files);
    for (const broken of changes.broken) {
      const what = broken.keptLastGood ? 'still serving its last good version' : 'skipped until it is fixed (send SIGHUP after fixing it)';
      this.logger.error(`${formatError(broken.error)}; ${what}`);
    }
    for (const file of changes.removed) {
      this.reloads.supersede(file);
      this.resourceErrors.delete(file);
    }
    return changes;
  }

  private announce(): void {
    const { interval, watch } = this.settings;
    const groups = groupByPrefix(this.resources.all()).length;
    const every = interval > 0 ? `${interval}s` : 'never';
    this.logger.info(
      watch
        ? `watching ${this.resources.size} resource(s) on backend ${this.backend.name}: ${groups} watch(es), full resync every ${every}`
        : `polling ${this.resources.size} resource(s) on backend ${this.backend.name} every ${every}`,
    );
    if (interval <= 0 && !watch) this.logger.warn('interval is 0 and watch is off: nothing will be rendered after the first pass');
  }

  // ── passes ─────────────────────────────────────────────────────────────────

  private async runPass(request: PassRequest): Promise<PassVerdict> {
    const opened = this.backend.current;
    if (!opened) return { kind: 'wait' };
    const all = request.files === 'all';
    const batch = request.files === 'all' ? this.resources.all() : request.files.flatMap((f) => this.resources.get(f) ?? []);
    if (batch.length === 0) return { kind: 'done' };
    this.logger.debug(`render pass`, { reason: request.reason, resources: batch.length, all });
    let outcomes: ResourceOutcome[];
    try {
      outcomes = await renderPass(batch, opened.database, passOptions(this.settings, { logger: this.logger, engine: this.engine, backend: opened.name }));
    } catch (error) {
      if (this.stopping) return { kind: 'wait' };
      const delayMs = this.backend.passFailed(opened, error);
      return delayMs === undefined ? { kind: 'wait' } : { kind: 'retry', delayMs };
    }
    this.backend.passSucceeded();
    this.handleOutcomes(outcomes);
    return { kind: 'done' };
  }

  private handleOutcomes(outcomes: readonly ResourceOutcome[]): void {
    for (const outcome of outcomes) {
      const file = outcome.resource.file;
      if (outcome.ok) {
        if (this.resourceErrors.delete(file)) this.logger.info(`resource ${file} renders again`);
        // A render that replaced dest ran its own reload: an older failed one is moot.
        if (outcome.changed) this.reloads.supersede(file);
        continue;
      }
      const message = formatError(outcome.error);
      if (outcome.reloadFailed) {
        this.logger.error(message);
        this.reloads.failed(outcome.resource);
        continue;
      }
      // The same error on every pass is logged once, then at debug, until it changes.
      if (this.resourceErrors.get(file) !== message) this.logger.error(message);
      else this.logger.debug(`still failing: ${message}`);
      this.resourceErrors.set(file, message);
    }
  }

  private onWatchEvent(group: WatchGroup): void {
    // An event proves the backend answers again: do not sit out the retry backoff.
    if (this.backend.failing) {
      this.queue.retryNow();
      return;
    }
    // One debounced request per group (and wait spec), so one change is one pass.
    const byWait = new Map<string, { wait: WaitSpec | undefined; files: string[] }>();
    for (const file of group.resources) {
      const wait = this.resources.get(file)?.wait ?? this.settings.wait;
      const id = wait ? `${wait.minMs}:${wait.maxMs}` : '';
      const bucket = byWait.get(id) ?? { wait, files: [] };
      bucket.files.push(file);
      byWait.set(id, bucket);
    }
    for (const [id, { wait, files }] of byWait) this.queue.change(`${watchIdentity(group)}|${id}`, files, wait);
  }

  private startInterval(): void {
    clearInterval(this.intervalTimer);
    this.intervalTimer = undefined;
    if (this.settings.interval > 0) {
      this.intervalTimer = setInterval(() => this.queue.request('all', 'interval'), this.settings.interval * 1000);
    }
  }

  // ── SIGHUP ─────────────────────────────────────────────────────────────────

  private async reload(): Promise<void> {
    if (this.stopping) return;
    this.logger.info('caught SIGHUP; reloading the config file and conf.d');
    let next = this.settings;
    if (this.deps.reloadSettings) {
      try {
        next = await this.deps.reloadSettings();
      } catch (error) {
        this.logger.error(`reload failed; keeping the running configuration: ${formatError(error)}`);
        return;
      }
    }
    const nextSpec = backendSpec(next);
    const backendChanged = this.backend.differs(nextSpec);
    const intervalChanged = next.interval !== this.settings.interval;
    this.settings = next;
    const changes = await this.loadConfD(next);
    if (!changes) {
      this.logger.error('reload failed; keeping the running resources');
      return;
    }
    // Templates may have been edited too: compile them afresh.
    this.engine.clearCache();
    this.logger.info(
      `reloaded: ${this.resources.size} resource(s); added ${changes.added.length}, removed ${changes.removed.length}, changed ${changes.changed.length}, invalid ${changes.broken.length}`,
    );
    if (intervalChanged) this.startInterval();
    const groups = groupByPrefix(this.resources.all());
    if (backendChanged) {
      this.logger.info(`backend settings changed; reconnecting to ${next.backend}`);
      await this.backend.replace(nextSpec, this.connectionOptions(next), groups);
      return;
    }
    this.backend.setMode(next.watch, next.interval);
    this.backend.setGroups(groups);
    this.queue.request('all', 'reload');
  }

  // ── SIGTERM / SIGINT ───────────────────────────────────────────────────────

  private async shutdown(): Promise<void> {
    clearInterval(this.intervalTimer);
    this.queue.stop();
    this.reloads.stopAll();
    const giveUp = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), this.deps.stopTimeoutMs ?? 3000).unref());
    const finished = (async () => {
      await this.queue.idle(); // the pass (or reload retry) in flight
      await this.backend.close();
    })();
    if ((await Promise.race([finished, giveUp])) === 'timeout') {
      this.logger.warn('stopping took too long; exiting without waiting for the pass in flight');
      void this.backend.close();
      return;
    }
    this.logger.info('stopped');
  }
}
