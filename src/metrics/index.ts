/**
 * Metrics, /health and /ready for `confd watch`. The daemon holds a `Metrics`; without
 * --metrics-addr it is `noMetrics`. prom-client and the HTTP server load only here,
 * on demand.
 */
import { parseListenAddress } from '../config/listen-address.js';
import { ConfdError } from '../errors.js';
import { HealthState } from './health.js';
import type { Metrics } from './metrics.js';

export { noMetrics, type CommandKind, type ExecEvent, type Metrics, type PluginEvent, type ResourceResult } from './metrics.js';
export { HealthState, type HealthReport, type BackendHealthReport } from './health.js';

export interface ServedMetrics {
  /** Report here; its close() stops the listener. */
  metrics: Metrics;
  /** `host:port` the listener is bound to. */
  address: string;
}

export interface StartMetricsOptions {
  /** How long a backend may go without a successful contact before /health fails (0: no limit). */
  staleAfterMs: () => number;
}

/** Starts the listener on `addr` (`host:port`); fails with a setting error when it cannot listen. */
export async function startMetrics(addr: string, options: StartMetricsOptions): Promise<ServedMetrics> {
  const listen = parseListenAddress(addr);
  if (!listen) throw new ConfdError(`metrics_addr: expected host:port, got ${JSON.stringify(addr)}`, { setting: 'metrics_addr' });
  const [{ PrometheusMetrics }, { serveMetrics }] = await Promise.all([import('./prometheus.js'), import('./server.js')]);
  const health = new HealthState(options.staleAfterMs);
  const metrics = new PrometheusMetrics(health);
  const server = await serveMetrics(listen, metrics, health);
  // The metrics the daemon reports to close the listener that serves them.
  metrics.servedBy(() => server.close());
  return { metrics, address: server.address };
}
