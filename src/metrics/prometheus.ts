/**
 * The Metrics interface as Prometheus metrics (prom-client). Loaded only when
 * --metrics-addr is set, so prom-client stays off every other start-up path.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HealthState } from './health.js';
import type { CommandKind, ExecEvent, Metrics, PluginEvent, ResourceResult } from './metrics.js';

/** Seconds: from a fast in-process backend to a slow reload_cmd. */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly registers = [this.registry];
  private readonly passes = new Counter({ name: 'confd_passes_total', help: 'Render passes, by what started them', labelNames: ['reason'], registers: this.registers });
  private readonly passDuration = new Histogram({ name: 'confd_pass_duration_seconds', help: 'Duration of render passes (fetch, render, sync)', buckets: DURATION_BUCKETS, registers: this.registers });
  private readonly resources = new Counter({ name: 'confd_resource_syncs_total', help: 'Resource outcomes per pass: changed (dest replaced), unchanged, failed', labelNames: ['resource', 'result'], registers: this.registers });
  private readonly lastSuccess = new Gauge({ name: 'confd_resource_last_success_timestamp_seconds', help: 'Unix time of the last pass that rendered the resource successfully', labelNames: ['resource'], registers: this.registers });
  private readonly calls = new Counter({ name: 'confd_backend_requests_total', help: 'getValues calls to a backend', labelNames: ['backend'], registers: this.registers });
  private readonly callErrors = new Counter({ name: 'confd_backend_errors_total', help: 'getValues calls to a backend that failed', labelNames: ['backend'], registers: this.registers });
  private readonly callDuration = new Histogram({ name: 'confd_backend_request_duration_seconds', help: 'Latency of getValues calls to a backend', labelNames: ['backend'], buckets: DURATION_BUCKETS, registers: this.registers });
  private readonly watchEvents = new Counter({ name: 'confd_watch_events_total', help: 'Watch events, by backend and prefix group', labelNames: ['backend', 'prefix'], registers: this.registers });
  private readonly commands = new Counter({ name: 'confd_commands_total', help: 'check_cmd and reload_cmd runs, by resource and result (ok or failed)', labelNames: ['command', 'resource', 'result'], registers: this.registers });
  private readonly commandDuration = new Histogram({ name: 'confd_command_duration_seconds', help: 'Duration of check_cmd and reload_cmd runs', labelNames: ['command'], buckets: DURATION_BUCKETS, registers: this.registers });
  private readonly plugins = new Counter({ name: 'confd_plugin_events_total', help: 'Backend plugin processes started (start), restarted after a crash or a hang (restart), and lost (crash)', labelNames: ['backend', 'event'], registers: this.registers });
  private readonly execEvents = new Counter({ name: 'confd_exec_child_events_total', help: 'Exec mode: the child started, was signalled to reload, restarted, or exited', labelNames: ['event'], registers: this.registers });

  /** Stops what serves these metrics (the listener); set by whoever starts it. */
  private stopServing: () => Promise<void> = async () => {};

  constructor(private readonly health: HealthState) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'confd_backend_up',
      help: '1 when the last contact with the backend succeeded within the resync interval (as /health)',
      labelNames: ['backend'],
      registers: this.registers,
      collect() {
        this.reset();
        for (const [name, report] of Object.entries(health.health().backends)) this.set({ backend: name }, report.ok ? 1 : 0);
      },
    });
    new Gauge({
      name: 'confd_ready',
      help: '1 once the first full pass succeeded (as /ready)',
      registers: this.registers,
      collect() {
        this.set(health.readyNow ? 1 : 0);
      },
    });
    for (const event of ['start', 'reload', 'restart', 'exit'] as const) this.execEvents.inc({ event }, 0);
  }

  pass(reason: string, durationMs: number): void {
    this.passes.inc({ reason });
    this.passDuration.observe(durationMs / 1000);
  }

  resource(resource: string, result: ResourceResult): void {
    this.resources.inc({ resource, result });
    if (result !== 'failed') this.lastSuccess.set({ resource }, Date.now() / 1000);
  }

  backendCall(backend: string, durationMs: number, ok: boolean): void {
    this.calls.inc({ backend });
    if (!ok) this.callErrors.inc({ backend });
    else this.callErrors.inc({ backend }, 0);
    this.callDuration.observe({ backend }, durationMs / 1000);
  }

  backendContact(backend: string, ok: boolean): void {
    this.health.contact(backend, ok);
  }

  backendsInUse(backends: readonly string[]): void {
    this.health.backendsInUse(backends);
  }

  watchEvent(backend: string, prefix: string): void {
    this.watchEvents.inc({ backend, prefix });
  }

  command(kind: CommandKind, resource: string, ok: boolean, durationMs: number): void {
    this.commands.inc({ command: kind, resource, result: ok ? 'ok' : 'failed' });
    this.commandDuration.observe({ command: kind }, durationMs / 1000);
  }

  plugin(backend: string, event: PluginEvent): void {
    this.plugins.inc({ backend, event });
  }

  execChild(event: ExecEvent): void {
    this.execEvents.inc({ event });
  }

  ready(): void {
    this.health.ready();
  }

  servedBy(stop: () => Promise<void>): void {
    this.stopServing = stop;
  }

  close(): Promise<void> {
    return this.stopServing();
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
