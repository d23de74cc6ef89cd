/**
 * `confd watch`: decides WHEN a render pass runs and WHICH resources it covers; the
 * pass itself is src/resource/pass.ts, the same one `confd render` uses.
 *
 *   start    load conf.d → open every backend a resource reads → one watch per distinct
 *            prefix of each → full pass
 *   event    debounce the group (wait = min:max) → one pass for its resources
 *   interval full pass (the poll for backends that cannot watch; a resync for the rest)
 *   failure  a backend error → that backend's resources again with backoff (capped 30 s),
 *            logged once per change of state; the other backends' resources go on; a
 *            dead plugin is restarted with backoff, configured, watched and re-fetched
 *   SIGHUP   re-read settings and conf.d; apply the differences; keep each backend whose
 *            settings did not change
 *   SIGTERM  finish the pass in flight, stop watches and backends, exit 0 (< 5 s)
 *   ready    the first full successful pass (every resource rendered once): /ready turns
 *            200 and the exec child starts
 *
 * This file wires the parts: PassQueue (when), one BackendConnection per backend (the
 * backend, its watches and restarts), ResourceSet (what), ReloadRetries (failed reload_cmd),
 * Metrics (what happened: --metrics-addr; every backend exchange through meteredOpen),
 * ExecChild (exec mode's supervised child).
 */
import { relative, join } from 'node:path';
import { backendSpec, type OpenedDatabase } from '../backends/index.js';
import type { Settings, WaitSpec } from '../config/settings.js';
import { formatError, reportError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { noMetrics, startMetrics, type Metrics } from '../metrics/index.js';
import { prefixesByBackend } from '../resource/fetch.js';
import { LastGoodValues } from '../resource/last-good.js';
import { loadResources } from '../resource/load.js';
import { passOptions, renderPass, type PassResult, type ResourceOutcome } from '../resource/pass.js';
import type { CommandRun } from '../resource/sync/index.js';
import type { TemplateResource } from '../resource/template-resource.js';
import { TemplateEngine } from '../template/index.js';
import { BackendConnection, type OpenBackend } from './backend-connection.js';
import { ExecChild, execArgv } from './exec-child.js';
import { meteredOpen } from './metered-backend.js';
import { PassQueue, type PassRequest } from './pass-queue.js';
import { collectStartupGarbage } from './trim-heap.js';
import { ReloadRetries } from './reload-retry.js';
import { ResourceSet, type ResourceChanges } from './resource-set.js';
import { installSignalHandlers } from './signals.js';
import { groupByPrefix, type WatchGroup } from './watch-groups.js';

export interface DaemonDeps {
  /** Re-reads settings on SIGHUP (flags > env > file > defaults). Without it SIGHUP reloads conf.d only. */
  reloadSettings?: () => Promise<Settings>;
  openDatabase: OpenBackend;
  /** How long SIGTERM lets the pass in flight finish before killing its commands (default: the shutdown_timeout setting). */
  stopTimeoutMs?: number;
}

export class WatchDaemon {
  private readonly resources = new ResourceSet();
  private readonly engine = new TemplateEngine();
  private readonly reloads: ReloadRetries;
  private readonly queue: PassQueue;
  /** One connection per backend some resource reads, by its name in confd.toml. */
  private readonly backends = new Map<string, BackendConnection>();
  private readonly lastGood = new LastGoodValues();
  private readonly resourceErrors = new Map<string, string>();
  private intervalTimer: NodeJS.Timeout | undefined;
  /** Aborted when shutdown stops waiting: running check/reload commands are killed. */
  private readonly shutdownAbort = new AbortController();
  /** Every open goes through here, so metrics see each exchange with a backend. */
  private readonly open: OpenBackend;
  private metrics: Metrics = noMetrics;
  /** Resources that have rendered successfully at least once; all of them: ready. */
  private readonly rendered = new Set<string>();
  private isReady = false;
  private exec: ExecChild | undefined;
  /** The signal that stopped the daemon (forwarded to the exec child). */
  private stopSignal: NodeJS.Signals | undefined;
  /** Exec mode: the child's exit code, which becomes confd's. */
  private exitCode: number | undefined;

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
      canRun: () => this.settings.keepLastGood || [...this.backends.values()].some((b) => b.usable),
      onInternalError: (error) => reportError(this.logger, error, { prefix: 'internal error: ' }),
    });
    this.reloads = new ReloadRetries((job) => this.queue.serial(job), () => this.logger, undefined, this.shutdownAbort.signal, (run) => this.onCommand(run));
    this.open = meteredOpen(deps.openDatabase, () => this.metrics);
  }

  /** Runs until SIGTERM/SIGINT (exit code 0) or a fatal start-up error (1). */
  async run(): Promise<number> {
    const disposeSignals = installSignalHandlers({
      reload: () => {
        this.exec?.forward('SIGHUP');
        void this.queue.serial(() => this.reload());
      },
      stop: (signal) => {
        this.stopSignal ??= signal;
        this.stop(`caught ${signal}`);
      },
    });
    // With no watch and `--interval 0` nothing else holds the event loop, and Node would
    // exit after the first pass; the daemon runs until it is stopped.
    const keepAlive = setInterval(() => {}, 2 ** 31 - 1);
    try {
      if (!(await this.startOperations())) return 1;
      if (!(await this.loadConfD(this.settings))) {
        await this.metrics.close();
        return 1;
      }
      await this.syncBackends();
      const fatal = [...this.backends.values()].find((b) => b.fatal)?.fatal;
      if (fatal) {
        reportError(this.logger, fatal);
        await this.metrics.close();
        return 1;
      }
      if (!this.stopping) {
        this.announce();
        this.startInterval();
        this.checkReady();
      }
      await this.stopped;
      await this.shutdown();
      return this.exitCode ?? 0;
    } finally {
      clearInterval(keepAlive);
      disposeSignals();
    }
  }

  /** The metrics listener (--metrics-addr) and the exec child's settings (--exec); false when either is unusable. */
  private async startOperations(): Promise<boolean> {
    const { settings } = this;
    try {
      const argv = execArgv(settings.exec);
      if (argv) {
        this.exec = new ExecChild({
          argv,
          reloadSignal: settings.execReloadSignal,
          killSignal: settings.execKillSignal,
          killTimeoutMs: settings.execKillTimeoutMs,
          logger: () => this.logger,
          metrics: () => this.metrics,
          exited: (code) => {
            this.exitCode = code;
            this.stop(`the exec child exited (confd exits with its code, ${code})`);
          },
        });
      }
      if (settings.metricsAddr) {
        const served = await startMetrics(settings.metricsAddr, {
          // A resync pass contacts every backend each interval; it may take up to the deadline.
          staleAfterMs: () => (this.settings.interval > 0 ? this.settings.interval * 1000 + this.settings.backendTimeoutMs : 0),
        });
        this.metrics = served.metrics;
        this.logger.info(`serving /metrics, /health and /ready on http://${served.address}`);
      }
      return true;
    } catch (error) {
      reportError(this.logger, error);
      return false;
    }
  }

  /** Asks the daemon to stop (signals call this; so can tests and embedders). */
  stop(why: string): void {
    if (this.stopping) return;
    this.stopping = true;
    this.logger.info(`${why}; finishing the sync in flight and stopping`);
    // A plugin still starting is killed now, not after its start timeout.
    for (const connection of this.backends.values()) connection.stopConnecting();
    this.resolveStopped();
  }

  // ── resources ──────────────────────────────────────────────────────────────

  /** Loads conf.d into the resource set; undefined only when conf.d cannot be read at all. */
  private async loadConfD(settings: Settings): Promise<ResourceChanges | undefined> {
    let loaded;
    try {
      loaded = await loadResources(settings);
    } catch (error) {
      reportError(this.logger, error);
      return undefined;
    }
    for (const warning of loaded.warnings) this.logger.warn(warning);
    const changes = this.resources.apply(loaded.files);
    for (const broken of changes.broken) {
      const what = broken.keptLastGood ? 'still serving its last good version' : 'skipped until it is fixed (send SIGHUP after fixing it)';
      reportError(this.logger, broken.error, { suffix: `; ${what}` });
    }
    for (const file of changes.removed) {
      this.reloads.supersede(file);
      this.resourceErrors.delete(file);
    }
    return changes;
  }

  /** The conf.d files of the resources that read backend `name`. */
  private filesReading(name: string): string[] {
    return this.resources.all().filter((r) => r.backends.includes(name)).map((r) => r.file);
  }

  private announce(): void {
    const { interval, watch } = this.settings;
    const groups = [...this.backends.keys()].reduce((n, name) => n + this.groupsFor(name).length, 0);
    const every = interval > 0 ? `${interval}s` : 'never';
    const names = [...this.backends.values()].map((b) => b.name).sort();
    const on = names.length === 1 ? `backend ${names[0]}` : `backends ${names.join(', ')}`;
    this.logger.info(
      watch
        ? `watching ${this.resources.size} resource(s) on ${on}: ${groups} watch(es), full resync every ${every}`
        : `polling ${this.resources.size} resource(s) on ${on} every ${every}`,
    );
    if (interval <= 0 && !watch) this.logger.warn('interval is 0 and watch is off: nothing will be rendered after the first pass');
  }

  // ── backends ───────────────────────────────────────────────────────────────

  private groupsFor(name: string): WatchGroup[] {
    return groupByPrefix(this.resources.all().filter((r) => r.backends.includes(name)));
  }

  private connectionOptions(settings: Settings) {
    return { open: this.open, logger: () => this.logger, watch: settings.watch, interval: settings.interval };
  }

  /**
   * Makes the connections match what the resources read: opens new backends, closes
   * ones no resource reads any more, reconnects ones whose settings changed, and gives
   * every connection its watch groups.
   */
  private async syncBackends(): Promise<void> {
    const used = new Set(this.resources.all().flatMap((r) => r.backends));
    const work: Promise<void>[] = [];
    for (const [name, connection] of this.backends) {
      if (used.has(name)) continue;
      this.backends.delete(name);
      this.forgetBackend(name);
      this.logger.info(`backend ${connection.name} is no longer read by any resource; closing it`);
      work.push(connection.close());
    }
    for (const name of used) {
      const spec = backendSpec(this.settings, name);
      const existing = this.backends.get(name);
      if (!existing) {
        const connection = new BackendConnection(spec, this.connectionOptions(this.settings), {
          opened: () => this.queue.request(this.filesReading(name), 'connect'),
          changed: (group) => this.onWatchEvent(name, group),
          failed: (delayMs) => {
            this.metrics.backendContact(name, false); // a watch broke
            this.queue.retryAfter(name, delayMs, () => this.filesReading(name));
          },
          lost: () => {
            this.metrics.backendContact(name, false); // the plugin went away (or stopped answering)
            this.queue.markPending(this.filesReading(name), 'plugin restart');
          },
        });
        this.backends.set(name, connection);
        connection.setGroups(this.groupsFor(name));
        work.push(connection.connect());
      } else if (existing.differs(spec)) {
        this.logger.info(`backend settings changed; reconnecting to ${spec.backend}`);
        this.forgetBackend(name);
        work.push(existing.replace(spec, this.connectionOptions(this.settings), this.groupsFor(name)));
      } else {
        existing.setMode(this.settings.watch, this.settings.interval);
        existing.setGroups(this.groupsFor(name));
      }
    }
    this.metrics.backendsInUse([...used]);
    await Promise.all(work);
  }

  private forgetBackend(name: string): void {
    this.queue.cancelRetry(name);
    this.lastGood.forget(name);
  }

  // ── passes ─────────────────────────────────────────────────────────────────

  private async runPass(request: PassRequest): Promise<void> {
    const all = request.files === 'all';
    const batch = request.files === 'all' ? this.resources.all() : request.files.flatMap((f) => this.resources.get(f) ?? []);
    // A resource whose backend is reconnecting waits for it: the reconnect requests it
    // again. With --keep-last-good it renders from the values that backend last gave.
    const ready = this.settings.keepLastGood ? batch : batch.filter((r) => r.backends.every((name) => this.backends.get(name)?.usable));
    if (ready.length === 0) return;
    const open = new Map<string, OpenedDatabase>();
    for (const [name, connection] of this.backends) if (connection.usable && connection.current) open.set(name, connection.current);
    const debug = this.logger.enabled('debug');
    if (debug) this.logger.debug(`render pass`, { reason: request.reason, resources: ready.length, all });
    const started = performance.now();
    const result = await renderPass(
      ready,
      open,
      passOptions(this.settings, {
        logger: this.logger,
        engine: this.engine,
        lastGood: this.settings.keepLastGood ? this.lastGood : undefined,
        signal: this.shutdownAbort.signal,
        afterWatchEvent: request.onlyWatchEvents,
        onCommand: (run) => this.onCommand(run),
      }),
    );
    this.metrics.pass(request.reason, performance.now() - started);
    if (this.stopping) return;
    this.recordBackendHealth(ready, open, result, all);
    this.handleOutcomes(result.outcomes);
    const changed = result.outcomes.filter((o) => o.changed).length;
    // Exec mode: a replaced dest reloads (or restarts) the child; noop replaces nothing.
    if (changed > 0 && !this.settings.noop && this.exec?.running) void this.exec.reload();
    this.checkReady();
    if (debug) this.logger.debug(`render pass done`, { reason: request.reason, changed, failed: result.outcomes.filter((o) => !o.ok).length });
  }

  private recordBackendHealth(batch: readonly TemplateResource[], open: ReadonlyMap<string, OpenedDatabase>, result: PassResult, all: boolean): void {
    for (const name of prefixesByBackend(batch).keys()) {
      const connection = this.backends.get(name);
      const opened = open.get(name);
      if (!connection || !opened) continue;
      const failure = result.failures.get(name);
      if (!failure) {
        connection.passSucceeded();
        // A full pass re-fetched everything this backend serves: its retry is moot.
        if (all) this.queue.cancelRetry(name);
        continue;
      }
      // Everything this backend serves is fetched again once it answers: changes made
      // during the outage may touch any of its resources.
      const delayMs = connection.passFailed(opened, failure);
      if (delayMs !== undefined) this.queue.retryAfter(name, delayMs, () => this.filesReading(name));
    }
  }

  private handleOutcomes(outcomes: readonly ResourceOutcome[]): void {
    for (const outcome of outcomes) {
      const file = outcome.resource.file;
      this.metrics.resource(this.resourceLabel(file), outcome.ok ? (outcome.changed ? 'changed' : 'unchanged') : 'failed');
      if (outcome.ok) {
        this.rendered.add(file);
        if (this.resourceErrors.delete(file)) this.logger.info(`resource ${file} renders again`);
        // A render that replaced dest ran its own reload: an older failed one is moot.
        if (outcome.changed) this.reloads.supersede(file);
        continue;
      }
      // The backend's own health logs its outage once; its resources stay quiet.
      if (outcome.backendFailed) continue;
      const message = formatError(outcome.error);
      const dest = { dest: outcome.resource.dest };
      if (outcome.reloadFailed) {
        reportError(this.logger, outcome.error, { fields: dest });
        this.reloads.failed(outcome.resource);
        continue;
      }
      // The same error on every pass is logged once, then at debug, until it changes.
      if (this.resourceErrors.get(file) !== message) reportError(this.logger, outcome.error, { fields: dest });
      else this.logger.withContext({ resource: file, ...dest }).debug(`still failing: ${message}`);
      this.resourceErrors.set(file, message);
    }
  }

  /** The first full successful pass: every resource has rendered once. */
  private checkReady(): void {
    if (this.isReady || this.stopping || !this.resources.all().every((r) => this.rendered.has(r.file))) return;
    this.isReady = true;
    this.logger.info(`ready: every resource (${this.resources.size}) has rendered`);
    this.metrics.ready();
    this.exec?.start();
    // After the reply to /ready and the child's start, not before: the collection pauses.
    setImmediate(collectStartupGarbage);
  }

  /** How metrics name a resource: its conf.d file, relative to conf.d (bounded, and short). */
  private resourceLabel(file: string): string {
    return relative(join(this.settings.confdir, 'conf.d'), file);
  }

  private onCommand(run: CommandRun): void {
    this.metrics.command(run.kind, run.resource ? this.resourceLabel(run.resource) : run.dest, run.ok, run.durationMs);
  }

  private onWatchEvent(backend: string, group: WatchGroup): void {
    this.metrics.backendContact(backend, true);
    this.metrics.watchEvent(backend, group.prefix);
    // An event proves the backend answers again: do not sit out the retry backoff.
    if (this.backends.get(backend)?.failing) {
      this.queue.retryNow(backend, () => this.filesReading(backend));
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
    for (const [id, { wait, files }] of byWait) this.queue.change(`${backend}|${group.identity}|${id}`, files, wait);
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
        reportError(this.logger, error, { prefix: 'reload failed; keeping the running configuration: ' });
        return;
      }
    }
    const intervalChanged = next.interval !== this.settings.interval;
    const previous = this.settings;
    this.settings = next;
    const changes = await this.loadConfD(next);
    if (!changes) {
      this.settings = previous;
      this.logger.error('reload failed; keeping the running resources');
      return;
    }
    // Templates may have been edited too: compile them afresh.
    this.engine.clearCache();
    this.logger.info(
      `reloaded: ${this.resources.size} resource(s); added ${changes.added.length}, removed ${changes.removed.length}, changed ${changes.changed.length}, invalid ${changes.broken.length}`,
    );
    if (intervalChanged) this.startInterval();
    await this.syncBackends();
    this.queue.request('all', 'reload');
  }

  // ── SIGTERM / SIGINT ───────────────────────────────────────────────────────

  private async shutdown(): Promise<void> {
    clearInterval(this.intervalTimer);
    this.queue.stop();
    this.reloads.stopAll();
    // The exec child gets the signal confd got (SIGTERM, SIGINT), or its kill signal when
    // confd stops for another reason; it is stopped while the pass in flight finishes.
    const childStopped = this.exec?.stop(this.stopSignal ?? this.settings.execKillSignal);
    const closeAll = () => Promise.all([...this.backends.values()].map((b) => b.close()));
    const within = (ms: number) => Promise.race([this.queue.idle().then(() => 'idle' as const), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms).unref())]);
    // The pass (or reload retry) in flight may finish; a command still running after the
    // shutdown timeout is killed with its process group, and its stage file removed.
    if ((await within(this.deps.stopTimeoutMs ?? this.settings.shutdownTimeoutMs)) === 'timeout') {
      this.logger.warn(`a check_cmd or reload_cmd is still running after ${(this.deps.stopTimeoutMs ?? this.settings.shutdownTimeoutMs) / 1000}s; killing it`);
      this.shutdownAbort.abort();
      await within(2000);
    }
    // A backend client that hangs while closing must not hold the exit (plugins are
    // killed by their own stop after 2 s).
    await Promise.race([closeAll(), new Promise((r) => setTimeout(r, 3000).unref())]);
    const childCode = await childStopped;
    if (childCode !== undefined) this.exitCode = childCode;
    await this.metrics.close();
    this.logger.info(this.exitCode === undefined ? 'stopped' : `stopped; exiting with the exec child's code ${this.exitCode}`);
  }
}
