/**
 * Wraps the daemon's way of opening a backend so that every exchange with it is
 * reported to Metrics: the open itself, each getValues (count, latency, errors), a
 * plugin's health check, and a plugin process's starts, restarts and crashes. The
 * backend, the pass and BackendConnection stay unaware of metrics.
 */
import type { OpenedDatabase } from '../backends/index.js';
import type { Database, DatabaseConfig, GetValuesOptions, KeyValues } from '../database/database.js';
import type { Metrics } from '../metrics/index.js';
import type { OpenBackend } from './backend-connection.js';

class MeteredDatabase implements Database {
  constructor(
    private readonly inner: Database,
    private readonly backend: string,
    private readonly metrics: Metrics,
    private readonly onClose: () => void,
  ) {}

  get canWatch(): boolean | undefined {
    return this.inner.canWatch;
  }

  configure(config: DatabaseConfig): Promise<void> {
    return this.inner.configure(config);
  }

  async getValues(prefixes: readonly string[], options?: GetValuesOptions): Promise<KeyValues> {
    const started = performance.now();
    let ok = false;
    try {
      const values = await this.inner.getValues(prefixes, options);
      ok = true;
      return values;
    } finally {
      this.metrics.backendCall(this.backend, performance.now() - started, ok);
      this.metrics.backendContact(this.backend, ok);
    }
  }

  watchPrefix(prefix: string, keys: readonly string[], signal: AbortSignal): AsyncIterable<void> {
    return this.inner.watchPrefix(prefix, keys, signal);
  }

  close(): Promise<void> {
    this.onClose();
    return this.inner.close();
  }
}

/** `open`, reporting to `metrics()` (read at each open: the daemon may swap it). */
export function meteredOpen(open: OpenBackend, metrics: () => Metrics): OpenBackend {
  const pluginStarted = new Set<string>();
  return async (spec, logger, signal) => {
    const name = spec.name;
    let opened: OpenedDatabase;
    try {
      opened = await open(spec, logger, signal);
    } catch (error) {
      metrics().backendContact(name, false);
      throw error;
    }
    const m = metrics();
    m.backendContact(name, true);
    if (opened.pluginPath !== undefined && !opened.reattached) {
      if (pluginStarted.has(name)) m.plugin(name, 'restart');
      pluginStarted.add(name);
      m.plugin(name, 'start');
    }
    // A plugin that goes away while confd still holds it crashed (or hung and was killed).
    let closing = false;
    void opened.lost?.then(() => {
      if (!closing) m.plugin(name, 'crash');
    });
    const ping = opened.ping;
    return {
      ...opened,
      database: new MeteredDatabase(opened.database, name, m, () => (closing = true)),
      ping: ping
        ? async () => {
            try {
              await ping();
              m.backendContact(name, true);
            } catch (error) {
              m.backendContact(name, false);
              throw error;
            }
          }
        : undefined,
    };
  };
}
