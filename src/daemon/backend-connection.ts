/**
 * The daemon's backend: opening it (and again after a failure), its watches, its health,
 * and restarting a plugin process that died.
 *
 *   open      open + configure; on failure retry with backoff. A setting that names
 *             nothing usable (unknown backend, missing plugin) is fatal at start-up.
 *   watches   one per group of resources sharing a prefix (WatchSet); a backend that
 *             cannot watch is announced once and left to the interval poll
 *   crash     a plugin process that exits is restarted with backoff; one that keeps
 *             crashing is reported as failing and restarted at the capped delay (a
 *             reattached plugin that goes away is reconnected to the same way)
 *   deadline  a call that does not answer within backend_timeout fails the pass; the
 *             backend is then reopened with backoff (a plugin that stopped answering
 *             was killed, and is restarted)
 *   health    while open, a plugin's health check runs every plugin_health_interval
 *             with the same deadline; one that does not answer is killed and restarted
 */
import { backendIdentity, backendLabel, isDeadlineError, type BackendSpec, type OpenedDatabase } from '../backends/index.js';
import { formatError, toConfdError, type ConfdError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { BackendHealth } from './backend-health.js';
import { CrashTracker, CRASH_WINDOW_MS } from './crash-tracker.js';
import type { WatchGroup } from './watch-groups.js';
import { WatchSet } from './watch-set.js';

export type OpenBackend = (spec: BackendSpec, logger: Logger, signal?: AbortSignal) => Promise<OpenedDatabase>;

export interface ConnectionOptions {
  open: OpenBackend;
  logger: () => Logger;
  /** Watch the backend (else only the interval poll). */
  watch: boolean;
  /** Seconds between full passes, for the "polling every …" message. */
  interval: number;
}

export interface ConnectionEvents {
  /** The backend is open (at start, or after a restart): everything must be fetched. */
  opened(): void;
  /** Something under `group` may have changed. */
  changed(group: WatchGroup): void;
  /** The backend failed outside a pass (a watch broke): retry a full pass after `delayMs`. */
  failed(delayMs: number): void;
  /** The backend process died; it is being restarted. Everything is fetched when it is back. */
  lost(): void;
}

export class BackendConnection {
  private opened: OpenedDatabase | undefined;
  private watches: WatchSet | undefined;
  private groups: readonly WatchGroup[] = [];
  private connectTimer: NodeJS.Timeout | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  /** Aborted by close(): kills a plugin that is still starting. */
  private connecting: AbortController | undefined;
  private everConnected = false;
  private pollingAnnounced = false;
  private closed = false;
  private readonly crashes = new CrashTracker();
  private health: BackendHealth;
  /** Set when the first open fails in a way that will not fix itself. */
  fatal: ConfdError | undefined;

  constructor(
    private spec: BackendSpec,
    private options: ConnectionOptions,
    private readonly events: ConnectionEvents,
  ) {
    this.health = new BackendHealth(backendLabel(spec), options.logger);
  }

  /** The open backend, or undefined while (re)connecting. */
  get current(): OpenedDatabase | undefined {
    return this.opened;
  }

  /** True while a pass can run: open, and its process (if any) alive. */
  get usable(): boolean {
    return this.opened !== undefined && !this.opened.gone();
  }

  get failing(): boolean {
    return this.health.failing;
  }

  get name(): string {
    return this.opened?.name ?? backendLabel(this.spec);
  }

  /** Would `spec` open a different backend than the one this connection holds? */
  differs(spec: BackendSpec): boolean {
    return backendIdentity(spec) !== backendIdentity(this.spec);
  }

  /** Opens the backend and starts its watches; on failure retries with backoff (or sets `fatal`). */
  async connect(): Promise<void> {
    this.connectTimer = undefined;
    if (this.closed) return;
    let opened: OpenedDatabase;
    this.connecting = new AbortController();
    try {
      opened = await this.options.open(this.spec, this.options.logger(), this.connecting.signal);
    } catch (error) {
      if (this.closed) return;
      const failure = toConfdError(error, { backend: backendLabel(this.spec) });
      // A setting that names nothing usable will not fix itself: fail at start-up;
      // after a SIGHUP, keep retrying.
      if (failure.context.setting && !this.everConnected) {
        this.fatal = failure;
        return;
      }
      this.reconnectIn(this.health.fail(failure));
      return;
    }
    if (this.closed) {
      await opened.database.close().catch(() => {});
      return;
    }
    this.everConnected = true;
    this.opened = opened;
    this.options.logger().debug(`backend ${opened.name} open`, { pluginPath: opened.pluginPath });
    opened.lost?.then((how) => void this.onPluginLost(opened, how));
    this.startWatches();
    this.scheduleHealthCheck(opened);
    this.events.opened();
  }

  /** A pass failed against the backend: the delay before retrying, or undefined when a restart will bring it back. */
  passFailed(opened: OpenedDatabase, error: unknown): number | undefined {
    if (this.closed || this.opened !== opened || opened.gone()) return undefined;
    const delay = this.health.fail(toConfdError(error, { backend: opened.name, pluginPath: opened.pluginPath }));
    if (!isDeadlineError(error)) return delay;
    // It stopped answering (a plugin was killed for it): reopen rather than retry on the same connection.
    void this.reopen(delay);
    return undefined;
  }

  /** A pass succeeded: logs the recovery if the backend was failing. */
  passSucceeded(): void {
    this.health.ok();
  }

  /** The groups to watch (at start and after SIGHUP). */
  setGroups(groups: readonly WatchGroup[]): void {
    this.groups = groups;
    this.startWatches();
  }

  /** Applies new watch/interval settings after SIGHUP (same backend). */
  setMode(watch: boolean, interval: number): void {
    const stopWatching = this.options.watch && !watch;
    this.options = { ...this.options, watch, interval };
    if (stopWatching) {
      void this.watches?.close();
      this.watches = undefined;
    }
    this.startWatches();
  }

  /** Closes this backend and connects to the one `spec` names, watching `groups` (SIGHUP changed its settings). */
  async replace(spec: BackendSpec, options: ConnectionOptions, groups: readonly WatchGroup[]): Promise<void> {
    await this.closeBackend();
    clearTimeout(this.connectTimer);
    this.spec = spec;
    this.options = options;
    this.groups = groups;
    this.health = new BackendHealth(backendLabel(spec), options.logger);
    await this.connect();
  }

  /**
   * Shutdown has begun: stop (re)connecting, and kill a plugin that is still starting,
   * while an open backend stays usable for the pass in flight (close() follows).
   */
  stopConnecting(): void {
    this.closed = true;
    clearTimeout(this.connectTimer);
    this.connecting?.abort();
  }

  /** Stops watches, reconnects and the backend itself. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.connectTimer);
    this.connecting?.abort();
    await this.closeBackend();
  }

  /** Closes the open backend and opens it again after `delayMs`, re-fetching everything. */
  private async reopen(delayMs: number): Promise<void> {
    this.events.lost();
    await this.closeBackend();
    if (this.closed) return;
    this.reconnectIn(delayMs);
  }

  /** go-plugin hosts ping their plugins; we do it periodically, with the backend deadline, while the plugin is open. */
  private scheduleHealthCheck(opened: OpenedDatabase): void {
    clearTimeout(this.healthTimer);
    const ping = opened.ping;
    if (!ping || this.spec.healthIntervalMs <= 0) return;
    this.healthTimer = setTimeout(async () => {
      try {
        await ping();
      } catch (error) {
        if (this.closed || this.opened !== opened || opened.gone()) return;
        const reason = (error as Error).message;
        opened.abandon?.(reason);
        const delay = this.health.fail(toConfdError(new Error(`plugin ${opened.name} (${opened.pluginPath}) stopped answering: ${reason}; ${opened.reattached ? 'reconnecting' : 'restarting it'}`), { backend: opened.name, pluginPath: opened.pluginPath }));
        await this.reopen(delay);
        return;
      }
      if (this.opened === opened) this.scheduleHealthCheck(opened);
    }, this.spec.healthIntervalMs);
    this.healthTimer.unref();
  }

  private reconnectIn(delayMs: number): void {
    clearTimeout(this.connectTimer);
    this.connectTimer = setTimeout(() => void this.connect(), delayMs);
  }

  private startWatches(): void {
    const opened = this.opened;
    if (!opened || !this.options.watch) return;
    if (opened.database.canWatch === false) {
      this.announcePolling(`backend ${opened.name} cannot watch`);
      return;
    }
    this.watches ??= new WatchSet(
      opened.database,
      opened.name,
      {
        onEvent: (group) => this.events.changed(group),
        onError: (group, error) => {
          if (this.opened !== opened || opened.gone()) return;
          this.events.failed(this.health.fail(error.withContext({ key: group.prefix })));
        },
        onUnsupported: (_group, error) => this.announcePolling(error.message),
      },
      this.options.logger(),
    );
    this.watches.update(this.groups);
  }

  private announcePolling(why: string): void {
    if (this.pollingAnnounced) return;
    this.pollingAnnounced = true;
    const { interval } = this.options;
    if (interval > 0) this.options.logger().info(`${why}; polling every ${interval}s`);
    else this.options.logger().warn(`${why} and interval is 0: changes will not be picked up`);
  }

  private async closeBackend(): Promise<void> {
    clearTimeout(this.healthTimer);
    const watches = this.watches;
    const opened = this.opened;
    this.watches = undefined;
    this.opened = undefined;
    this.pollingAnnounced = false;
    await watches?.close();
    await opened?.database.close().catch((error: unknown) => this.options.logger().warn(`closing backend ${opened.name}: ${formatError(error)}`));
  }

  /** A plugin died (or a reattached one went away): restart it with backoff (capped, and reported, when it keeps crashing). */
  private async onPluginLost(opened: OpenedDatabase, how: string): Promise<void> {
    if (this.closed || this.opened !== opened) return;
    const crashes = this.crashes.record();
    const delay = this.crashes.restartDelay();
    const where = opened.pluginPath ? ` (${opened.pluginPath})` : '';
    const restart = opened.reattached ? 'reconnecting' : 'restarting it';
    const logger = this.options.logger().withContext({ backend: opened.name, plugin: opened.pluginPath });
    if (this.crashes.failing()) {
      logger.error(`plugin ${opened.name}${where} is failing: it crashed ${crashes} times within ${CRASH_WINDOW_MS / 1000}s (last: it ${how}); still ${restart} every ${delay / 1000}s`);
    } else {
      logger.warn(`plugin ${opened.name}${where} ${how}; ${restart} in ${delay}ms`);
    }
    this.events.lost();
    await this.closeBackend();
    if (this.closed) return;
    this.reconnectIn(delay);
  }
}
