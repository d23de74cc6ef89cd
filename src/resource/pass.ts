/**
 * One render pass, the whole pipeline in one place:
 *
 *   1. fetch   — ONE getValues per backend, for the union of the resources' keys
 *                (fetch.ts); every key is cleaned and must lie under a requested
 *                prefix (key-scope.ts); a resource reading several backends sees their
 *                keys merged in its order, later wins
 *   2. render  — each resource's template from its slice of those snapshots (a resource
 *                whose slice has fewer than `min_keys` entries fails, dest untouched)
 *   3. sync    — stage, compare, check, atomic rename, reload (src/resource/sync)
 *
 * `confd render` runs one pass over every resource; `confd watch` runs passes over the
 * resources affected by a change. An error in one resource — or one backend — never
 * stops the others.
 */
import { ConfdError, toConfdError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { KeyStore, type TemplateEngine } from '../template/index.js';
import type { Settings } from '../config/settings.js';
import { ReloadError, StaleStageFileSweeper, syncFile, type SyncOptions } from './sync/index.js';
import { fetchSnapshots, type FetchedSnapshots, type PassBackend, type PassBackends } from './fetch.js';
import type { LastGoodValues } from './last-good.js';
import type { KeySnapshot } from './snapshot.js';
import type { TemplateResource } from './template-resource.js';

export type { PassBackend, PassBackends } from './fetch.js';

/** How a pass renders (the engine), where its data comes from (for errors), and how it syncs. */
export interface PassOptions extends SyncOptions {
  engine: TemplateEngine;
  /** With `--keep-last-good`: a failing backend's resources render from its last good values. */
  lastGood?: LastGoodValues;
  /** The pass follows watch events only: backends may answer from their watches (GetValuesOptions). */
  afterWatchEvent?: boolean;
}

/** The settings that decide how files are synced; every pass takes them from here. */
type SyncModes = Pick<Settings, 'noop' | 'diff' | 'diffRedact' | 'syncOnly' | 'keepStageFile'>;

/** Builds a pass's options: the sync modes from settings, the rest from the caller. */
export function passOptions(settings: SyncModes, rest: Omit<PassOptions, keyof SyncModes>): PassOptions {
  return { ...rest, noop: settings.noop, diff: settings.diff, diffRedact: settings.diffRedact, syncOnly: settings.syncOnly, keepStageFile: settings.keepStageFile };
}

export interface ResourceOutcome {
  resource: TemplateResource;
  ok: boolean;
  /** The dest file was (or, with noop, would be) replaced. */
  changed: boolean;
  error?: ConfdError;
  /** dest was written but reload_cmd failed; the daemon retries the reload. */
  reloadFailed?: boolean;
  /** Not rendered because this backend (named in confd.toml) failed; the error is in PassResult.failures. */
  backendFailed?: string;
}

export interface PassResult {
  /** One per resource, in resource order. */
  outcomes: ResourceOutcome[];
  /** Backends that failed during the fetch, by name, with their error. */
  failures: Map<string, ConfdError>;
}

/** One backend under the name `default`, for callers that have a single Database. */
export function singleBackend(backend: PassBackend): PassBackends {
  return new Map([['default', backend]]);
}

/** How many resources are written at once: file I/O (fsync) dominates a large pass. */
const SYNC_CONCURRENCY = 16;

/**
 * Renders and syncs each resource from the snapshot. Several resources are in flight at
 * once, except that resources sharing a dest run in order, and `--diff` output stays in
 * resource order. Outcomes come back in resource order.
 */
export async function renderFromSnapshots(
  resources: readonly TemplateResource[],
  fetched: FetchedSnapshots,
  options: PassOptions,
): Promise<ResourceOutcome[]> {
  // Printed output (--diff, --stdout) stays in resource order.
  const limit = options.diff || options.print ? 1 : SYNC_CONCURRENCY;
  const outcomes: ResourceOutcome[] = new Array(resources.length);
  const lastForDest = new Map<string, Promise<void>>();
  const inFlight = new Set<Promise<void>>();
  for (const [index, resource] of resources.entries()) {
    while (inFlight.size >= limit) await Promise.race(inFlight);
    const previous = lastForDest.get(resource.dest) ?? Promise.resolve();
    const task = previous.then(async () => {
      outcomes[index] = await processResource(resource, fetched, options);
    });
    lastForDest.set(resource.dest, task);
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  }
  await Promise.all(lastForDest.values());
  return outcomes;
}

/** fetch + render + sync. Never throws for a backend: failures come back by name. */
export async function renderPass(resources: readonly TemplateResource[], backends: PassBackends, options: PassOptions): Promise<PassResult> {
  const fetched = await fetchSnapshots(resources, backends, { lastGood: options.lastGood, logger: options.logger, afterWatchEvent: options.afterWatchEvent });
  return { outcomes: await renderFromSnapshots(resources, fetched, options), failures: fetched.failures };
}

/**
 * Resources with the same backends, prefix and keys see the same data: build their key
 * store once per pass (1000 resources over one tree share a single store).
 */
const storeCache = new WeakMap<FetchedSnapshots, Map<string, KeyStore>>();

function storeFor(fetched: FetchedSnapshots, resource: TemplateResource): KeyStore {
  let stores = storeCache.get(fetched);
  if (!stores) storeCache.set(fetched, (stores = new Map()));
  const id = `${resource.backends.join('\0')}\0\0${resource.prefix}\0${resource.keys.join('\0')}`;
  let store = stores.get(id);
  if (!store) {
    const snapshots = resource.backends.map((name) => fetched.snapshots.get(name) as KeySnapshot);
    const entries = snapshots[0].forResource(resource.prefix, resource.keys);
    // Later backends win: their entries overwrite the earlier ones.
    for (const snapshot of snapshots.slice(1)) for (const [key, value] of snapshot.forResource(resource.prefix, resource.keys)) entries.set(key, value);
    stores.set(id, (store = new KeyStore(entries)));
  }
  return store;
}

/** Stage files a killed confd left next to a dest are removed before its first write. */
const staleStageFiles = new StaleStageFileSweeper();

/** The empty-snapshot guard: fewer entries than `min_keys` fails the resource, dest untouched. */
function checkMinKeys(resource: TemplateResource, found: number): void {
  const wanted = resource.minKeys ?? 0;
  if (found >= wanted) return;
  throw new ConfdError(
    `min_keys: keys ${resource.keys.join(', ')} returned ${found} entr${found === 1 ? 'y' : 'ies'}, fewer than min_keys = ${wanted}; ${resource.dest} was left as it is`,
    { resource: resource.file, setting: 'min_keys' },
  );
}

async function processResource(resource: TemplateResource, fetched: FetchedSnapshots, options: PassOptions): Promise<ResourceOutcome> {
  const failed = resource.backends.find((name) => !fetched.snapshots.has(name));
  if (failed !== undefined) {
    const cause = fetched.failures.get(failed);
    const error = new ConfdError(`not rendered: backend ${failed} failed${cause ? `: ${cause.message}` : ''}`, { ...cause?.context, resource: resource.file });
    return { resource, ok: false, changed: false, error, backendFailed: failed };
  }
  const context = { resource: resource.file, template: resource.src };
  let content: string;
  try {
    const store = storeFor(fetched, resource);
    checkMinKeys(resource, store.size);
    content = await options.engine.render(resource.src, store, resource.engine);
  } catch (error) {
    return { resource, ok: false, changed: false, error: toConfdError(error, context) };
  }
  try {
    if (!options.noop && !options.keepStageFile && !options.print) await staleStageFiles.sweepOnce(resource.dest, options.logger);
    const outcome = await syncFile(content, resource, options);
    return { resource, ok: true, changed: outcome.changed };
  } catch (error) {
    const reloadFailed = error instanceof ReloadError;
    return { resource, ok: false, changed: reloadFailed, reloadFailed, error: toConfdError(error, { resource: resource.file }) };
  }
}
