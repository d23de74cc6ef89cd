/**
 * `confd watch`: decides WHEN a render pass runs and WHICH resources it covers; the
 * pass itself is src/resource/pass.ts, the same one `confd render` uses.
 *
 *   start    load conf.d → open the backend → one watch per distinct prefix → full pass
 *   event    debounce each resource of the group (wait = min:max) → one pass for the
 *            resources that fired (one getValues for all of them)
 *   interval full pass (the poll for backends that cannot watch; a resync for the rest)
 *   failure  backend error → full pass again with backoff (capped 30 s), logged once
 *            per change of state; a dead plugin is restarted with backoff, configured,
 *            watched and re-fetched
 *   SIGHUP   re-read settings and conf.d; apply the differences; keep the backend when
 *            its settings did not change
 *   SIGTERM  finish the pass in flight, stop watches and the backend, exit 0 (< 5 s)
 *
 * Every pass and reload retry runs in one serial lane, so two never touch the same
 * dest at once.
 */
import { toDatabaseConfig } from '../config/database-config.js';
import type { Settings } from '../config/settings.js';
import { ConfdError, formatError, toConfdError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { loadResources } from '../resource/load.js';
import { renderPass, type ResourceOutcome } from '../resource/pass.js';
import { TemplateEngine } from '../template/index.js';
import type { OpenedDatabase } from '../cli/open-database.js';
import { BackendHealth } from './backend-health.js';
import { CrashTracker, CRASH_WINDOW_MS } from './crash-tracker.js';
import { Debouncer } from './debouncer.js';
import { describeExit, processExit, processGone } from './plugin-exit.js';
import { ReloadRetries } from './reload-retry.js';
import { ResourceSet, type ResourceChanges } from './resource-set.js';
import { installSignalHandlers } from './signals.js';
import { groupByPrefix, type WatchGroup } from './watch-groups.js';
import { WatchSet } from './watch-set.js';

export interface DaemonDeps {
  /** Re-reads settings on SIGHUP (flags > env > file > defaults). Without it SIGHUP reloads conf.d only. */
  reloadSettings?: () => Promise<Settings>;
  openDatabase: (settings: Settings, logger: Logger) => Promise<OpenedDatabase>;
  /** How long SIGTERM may wait for the pass in flight (default 3 s). */
  stopTimeoutMs?: number;
}

/** Settings that, when changed on SIGHUP, require a new backend (plugin restart). */
function backendIdentity(settings: Settings): string {
  return JSON.stringify([settings.backend, toDatabaseConfig(settings), settings.pluginDirs, settings.pluginStartTimeoutMs]);
}

export class WatchDaemon {
  private readonly resources = new ResourceSet();
  private readonly debouncers = new Map<string, Debouncer>();
  private readonly engine = new TemplateEngine();
  private readonly crashes = new CrashTracker();
  private readonly reloads: ReloadRetries;
  private health: BackendHealth;

  private opened: OpenedDatabase | undefined;
  private watches: WatchSet | undefined;
  private pending = new Set<string>();
  private pendingAll = false;
  private pendingReason = '';
  private draining = false;
  private serialTail: Promise<void> = Promise.resolve();

  private intervalTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private readonly resourceErrors = new Map<string, string>();
  private pollingAnnounced = false;
  private everConnected = false;

  private stopping = false;
  private fatal: ConfdError | undefined;
  private resolveStopped!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.resolveStopped = resolve));

  constructor(
    private settings: Settings,
    private readonly logger: Logger,
    private readonly deps: DaemonDeps,
  ) {
    this.health = new BackendHealth(settings.backend, () => this.logger);
    this.reloads = new ReloadRetries((job) => this.serial(job), () => this.logger);
  }

  /** Runs until SIGTERM/SIGINT (exit code 0) or a fatal start-up error (1). */
  async run(): Promise<number> {
    const disposeSignals = installSignalHandlers({
      reload: () => void this.serial(() => this.reload()),
      stop: (signal) => this.stop(`caught ${signal}`),
    });
    try {
      if (!(await this.loadConfD(this.settings))) return 1;
      await this.connect();
      if (this.fatal) {
        this.logger.error(formatError(this.fatal));
        return 1;
      }
      this.announce();
      this.startInterval();
      await this.stopped;
      await this.shutdown();
      return 0;
    } finally {
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
      this.debouncers.get(file)?.cancel();
      this.debouncers.delete(file);
      this.reloads.supersede(file);
      this.resourceErrors.delete(file);
    }
    for (const resource of this.resources.all()) {
      const wait = resource.wait ?? settings.wait;
      const existing = this.debouncers.get(resource.file);
      if (existing) existing.setWait(wait);
      else this.debouncers.set(resource.file, new Debouncer(wait, () => this.request([resource.file], 'change')));
    }
    return changes;
  }

  private announce(): void {
    const { interval, watch } = this.settings;
    const groups = groupByPrefix(this.resources.all()).length;
    const every = interval > 0 ? `${interval}s` : 'never';
    const backend = this.opened?.name ?? this.settings.backend;
    this.logger.info(
      watch
        ? `watching ${this.resources.size} resource(s) on backend ${backend}: ${groups} watch(es), full resync every ${every}`
        : `polling ${this.resources.size} resource(s) on backend ${backend} every ${every}`,
    );
    if (interval <= 0 && !watch) this.logger.warn('interval is 0 and watch is off: nothing will be rendered after the first pass');
  }

  // ── scheduling ─────────────────────────────────────────────────────────────

  /** Runs `job` after every job queued before it; errors are logged, never thrown. */
  private serial(job: () => Promise<void>): Promise<void> {
    const run = this.serialTail.then(job).catch((error: unknown) => this.logger.error(`internal error: ${formatError(error)}`));
    this.serialTail = run;
    return run;
  }

  /** Queues resources (or all of them) for the next pass. */
  private request(files: readonly string[] | 'all', reason: string): void {
    if (this.stopping) return;
    if (files === 'all') this.pendingAll = true;
    else for (const file of files) this.pending.add(file);
    this.pendingReason ||= reason;
    this.kick();
  }

  private kick(): void {
    if (this.draining || this.stopping || !this.opened) return;
    this.draining = true;
    // setImmediate: debouncers of one group fire in the same timers phase; starting the
    // drain after that phase puts them all in one pass (one getValues).
    setImmediate(() =>
      void this.serial(() => this.drain()).finally(() => {
        this.draining = false;
        // Work queued while the drain was finishing; not after a failure (the retry timer owns that).
        if ((this.pendingAll || this.pending.size > 0) && this.retryTimer === undefined) this.kick();
      }),
    );
  }

  private async drain(): Promise<void> {
    while (!this.stopping && (this.pendingAll || this.pending.size > 0)) {
      const opened = this.opened;
      if (!opened) return; // the (re)connect requests a full pass when it is done
      const all = this.pendingAll;
      const batch = all ? this.resources.all() : [...this.pending].flatMap((f) => this.resources.get(f) ?? []);
      const reason = this.pendingReason;
      this.pending = new Set();
      this.pendingAll = false;
      this.pendingReason = '';
      if (batch.length === 0) continue;
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.logger.debug(`render pass`, { reason, resources: batch.length, all });
      let outcomes: ResourceOutcome[];
      try {
        outcomes = await renderPass(batch, opened.database, {
          noop: this.settings.noop,
          diff: this.settings.diff,
          syncOnly: this.settings.syncOnly,
          keepStageFile: this.settings.keepStageFile,
          logger: this.logger,
          engine: this.engine,
          backend: opened.name,
        });
      } catch (error) {
        // Everything is fetched again once the backend answers: changes made during
        // the outage may touch any resource.
        this.pendingAll = true;
        this.pendingReason ||= 'retry';
        if (this.stopping || this.opened !== opened || processGone(opened.database)) return; // the crash handler restarts it
        this.armRetry(this.health.fail(toConfdError(error, { backend: opened.name, pluginPath: opened.pluginPath })));
        return;
      }
      this.health.ok();
      this.handleOutcomes(outcomes);
    }
  }

  private armRetry(delayMs: number): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.request('all', 'retry');
    }, delayMs);
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

  private startInterval(): void {
    clearInterval(this.intervalTimer);
    this.intervalTimer = undefined;
    if (this.settings.interval > 0) {
      this.intervalTimer = setInterval(() => this.request('all', 'interval'), this.settings.interval * 1000);
    }
  }

  // ── the backend and its watches ────────────────────────────────────────────

  /** Opens the backend, starts its watches and requests a full pass; retries on failure. */
  private async connect(): Promise<void> {
    this.connectTimer = undefined;
    if (this.stopping) return;
    let opened: OpenedDatabase;
    try {
      opened = await this.deps.openDatabase(this.settings, this.logger);
    } catch (error) {
      const failure = toConfdError(error, { backend: this.settings.backend });
      // A setting that names nothing usable (unknown backend, missing plugin) will not
      // fix itself: fail at start-up; after a SIGHUP, keep retrying.
      if (failure.context.setting && this.opened === undefined && !this.everConnected) {
        this.fatal = failure;
        return;
      }
      this.connectTimer = setTimeout(() => void this.connect(), this.health.fail(failure));
      return;
    }
    if (this.stopping) {
      await opened.database.close().catch(() => {});
      return;
    }
    this.everConnected = true;
    this.opened = opened;
    this.logger.debug(`backend ${opened.name} open`, { pluginPath: opened.pluginPath });
    processExit(opened.database)?.then((status) => void this.onProcessExit(opened, describeExit(status)));
    this.startWatches();
    this.request('all', 'connect');
  }

  private startWatches(): void {
    const opened = this.opened;
    if (!opened || !this.settings.watch) return;
    if (opened.database.canWatch === false) {
      this.announcePolling(`backend ${opened.name} cannot watch`);
      return;
    }
    this.watches ??= new WatchSet(
      opened.database,
      opened.name,
      {
        onEvent: (group) => this.onWatchEvent(group),
        onError: (group, error) => {
          if (this.opened !== opened || processGone(opened.database)) return;
          this.armRetry(this.health.fail(error.withContext({ key: group.prefix })));
        },
        onUnsupported: (_group, error) => this.announcePolling(error.message),
      },
      this.logger,
    );
    this.watches.update(groupByPrefix(this.resources.all()));
  }

  private announcePolling(why: string): void {
    if (this.pollingAnnounced) return;
    this.pollingAnnounced = true;
    if (this.settings.interval > 0) this.logger.info(`${why}; polling every ${this.settings.interval}s`);
    else this.logger.warn(`${why} and interval is 0: changes will not be picked up`);
  }

  private onWatchEvent(group: WatchGroup): void {
    // An event proves the backend answers again: do not sit out the retry backoff.
    if (this.health.failing) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.request('all', 'retry');
      return;
    }
    for (const file of group.resources) this.debouncers.get(file)?.poke();
  }

  private async closeBackend(): Promise<void> {
    const watches = this.watches;
    const opened = this.opened;
    this.watches = undefined;
    this.opened = undefined;
    this.pollingAnnounced = false;
    await watches?.close();
    await opened?.database.close().catch((error: unknown) => this.logger.warn(`closing backend ${opened.name}: ${formatError(error)}`));
  }

  /** A plugin process died: restart it with backoff (capped, and reported, when it keeps crashing). */
  private async onProcessExit(opened: OpenedDatabase, how: string): Promise<void> {
    if (this.stopping || this.opened !== opened) return;
    const crashes = this.crashes.record();
    const delay = this.crashes.restartDelay();
    const where = opened.pluginPath ? ` (${opened.pluginPath})` : '';
    if (this.crashes.failing()) {
      this.logger.error(`plugin ${opened.name}${where} is failing: it crashed ${crashes} times within ${CRASH_WINDOW_MS / 1000}s (last: it ${how}); still restarting it every ${delay / 1000}s`);
    } else {
      this.logger.warn(`plugin ${opened.name}${where} ${how}; restarting it in ${delay}ms`);
    }
    this.pendingAll = true;
    this.pendingReason ||= 'plugin restart';
    await this.closeBackend();
    if (this.stopping) return;
    clearTimeout(this.connectTimer);
    this.connectTimer = setTimeout(() => void this.connect(), delay);
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
    const backendChanged = backendIdentity(next) !== backendIdentity(this.settings);
    const watchChanged = next.watch !== this.settings.watch;
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
    if (backendChanged) {
      this.logger.info(`backend settings changed; reconnecting to ${next.backend}`);
      this.health = new BackendHealth(next.backend, () => this.logger);
      await this.closeBackend();
      clearTimeout(this.connectTimer);
      await this.connect();
      return;
    }
    if (watchChanged && !next.watch) {
      await this.watches?.close();
      this.watches = undefined;
    }
    this.startWatches();
    this.request('all', 'reload');
  }

  // ── SIGTERM / SIGINT ───────────────────────────────────────────────────────

  private async shutdown(): Promise<void> {
    clearInterval(this.intervalTimer);
    clearTimeout(this.retryTimer);
    clearTimeout(this.connectTimer);
    for (const debouncer of this.debouncers.values()) debouncer.cancel();
    this.reloads.stopAll();
    const giveUp = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), this.deps.stopTimeoutMs ?? 3000).unref());
    const finished = (async () => {
      await this.serialTail; // the pass (or reload retry) in flight
      await this.closeBackend();
    })();
    if ((await Promise.race([finished, giveUp])) === 'timeout') {
      this.logger.warn('stopping took too long; exiting without waiting for the pass in flight');
      void this.closeBackend();
      return;
    }
    this.logger.info('stopped');
  }
}
