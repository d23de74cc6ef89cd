/**
 * `--preflight`: opens every backend the resources read (a plugin is started), fetches
 * their keys once, and reports each backend — how many keys it holds under the
 * resources' prefixes and how long opening and fetching took — then closes them.
 * Nothing is rendered or written.
 */
import { backendLabel, backendSpec, openDatabase, type OpenedDatabase } from '../backends/index.js';
import type { Settings } from '../config/settings.js';
import { toConfdError, type ConfdError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { prefixesByBackend } from '../resource/fetch.js';
import { keepKeysInScope } from '../resource/key-scope.js';
import type { TemplateResource } from '../resource/template-resource.js';

export interface BackendPreflight {
  /** The backend's name in confd.toml (`default` for the top level). */
  name: string;
  /** As logs name it (`etcd`, `prod (etcd)`). */
  label: string;
  prefixes: number;
  /** Keys found under those prefixes; undefined when the backend failed. */
  keys?: number;
  openMs: number;
  fetchMs: number;
  error?: ConfdError;
}

export async function preflight(resources: readonly TemplateResource[], settings: Settings, logger: Logger, signal?: AbortSignal): Promise<BackendPreflight[]> {
  const byBackend = prefixesByBackend(resources);
  return Promise.all([...byBackend].map(([name, prefixes]) => checkBackend(name, prefixes, settings, logger, signal)));
}

async function checkBackend(name: string, prefixes: string[], settings: Settings, logger: Logger, signal?: AbortSignal): Promise<BackendPreflight> {
  const spec = backendSpec(settings, name);
  const report: BackendPreflight = { name, label: backendLabel(spec), prefixes: prefixes.length, openMs: 0, fetchMs: 0 };
  let opened: OpenedDatabase | undefined;
  const started = performance.now();
  try {
    opened = await openDatabase(spec, logger, signal);
    report.label = opened.name;
    report.openMs = Math.round(performance.now() - started);
    const fetching = performance.now();
    const values = prefixes.length > 0 ? keepKeysInScope(await opened.database.getValues(prefixes), prefixes).values : {};
    report.fetchMs = Math.round(performance.now() - fetching);
    report.keys = Object.keys(values).length;
  } catch (error) {
    report.error = toConfdError(error, { backend: name });
  } finally {
    await opened?.database.close().catch(() => {});
  }
  return report;
}
