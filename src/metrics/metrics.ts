/**
 * What the daemon reports about itself: the one interface every part reports to, so
 * that nothing outside this room knows Prometheus exists. `noMetrics` (no --metrics-addr)
 * drops everything at the cost of a call.
 *
 * Labels stay bounded: a resource is named by its conf.d file (relative to conf.d), a
 * backend by its name in confd.toml (`default`, or a `[backends.<name>]` table), a watch
 * by its prefix group from conf.d. Never a key name or a value.
 */
export type ResourceResult = 'changed' | 'unchanged' | 'failed';
export type CommandKind = 'check_cmd' | 'reload_cmd';
export type PluginEvent = 'start' | 'restart' | 'crash';
export type ExecEvent = 'start' | 'reload' | 'restart' | 'exit';

export interface Metrics {
  /** A render pass finished (`reason`: connect, change, interval, retry, reload, …). */
  pass(reason: string, durationMs: number): void;
  /** A resource's outcome in a pass; a success also records its last successful sync time. */
  resource(resource: string, result: ResourceResult): void;
  /** A getValues call to a backend. */
  backendCall(backend: string, durationMs: number, ok: boolean): void;
  /** Any exchange with a backend (open, getValues, watch event, plugin health check): /health reads these. */
  backendContact(backend: string, ok: boolean): void;
  /** The backends the resources read now (at start and after SIGHUP): /health covers exactly these. */
  backendsInUse(backends: readonly string[]): void;
  /** A watch event for a prefix group. */
  watchEvent(backend: string, prefix: string): void;
  /** A check_cmd or reload_cmd ran. */
  command(kind: CommandKind, resource: string, ok: boolean, durationMs: number): void;
  plugin(backend: string, event: PluginEvent): void;
  execChild(event: ExecEvent): void;
  /** The first full pass succeeded: every resource rendered. */
  ready(): void;
  /** Stops serving (shutdown). */
  close(): Promise<void>;
}

const ignore = (): void => {};

export const noMetrics: Metrics = {
  pass: ignore,
  resource: ignore,
  backendCall: ignore,
  backendContact: ignore,
  backendsInUse: ignore,
  watchEvent: ignore,
  command: ignore,
  plugin: ignore,
  execChild: ignore,
  ready: ignore,
  close: async () => {},
};
