/**
 * One render pass, the whole pipeline in one place:
 *
 *   1. fetch   — ONE getValues per backend, for the union of the resources' keys
 *   2. render  — each resource's template from its slice of that snapshot
 *   3. sync    — stage, compare, check, atomic rename, reload (src/resource/sync)
 *
 * `confd render` runs one pass over every resource; `confd watch` runs passes over the
 * resources affected by a change. An error in one resource never stops the others.
 */
import type { Database } from '../database/database.js';
import { ConfdError, toConfdError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { KeyStore, type TemplateEngine } from '../template/index.js';
import { ReloadError, syncFile } from './sync/index.js';
import { KeySnapshot } from './snapshot.js';
import { coveringPrefixes } from '../database/key-path.js';
import type { TemplateResource } from './template-resource.js';

export interface PassOptions {
  noop: boolean;
  diff: boolean;
  syncOnly: boolean;
  keepStageFile: boolean;
  logger: Logger;
  engine: TemplateEngine;
  /** Where `--noop --diff` output goes (stdout by default). */
  diffOutput?: { write(text: string): unknown };
  color?: boolean;
}

export interface ResourceOutcome {
  resource: TemplateResource;
  ok: boolean;
  /** The dest file was (or, with noop, would be) replaced. */
  changed: boolean;
  error?: ConfdError;
  /** dest was written but reload_cmd failed; the daemon retries the reload. */
  reloadFailed?: boolean;
}

/** Fetches every key the resources need with a single getValues call. */
export async function fetchSnapshot(database: Database, resources: readonly TemplateResource[], backend = 'backend'): Promise<KeySnapshot> {
  const prefixes = coveringPrefixes(resources.flatMap((r) => r.keys));
  if (prefixes.length === 0) return new KeySnapshot({});
  try {
    return new KeySnapshot(await database.getValues(prefixes));
  } catch (error) {
    throw toConfdError(error, { backend });
  }
}

/** How many resources are written at once: file I/O (fsync) dominates a large pass. */
const SYNC_CONCURRENCY = 16;

/**
 * Renders and syncs each resource from the snapshot. Several resources are in flight at
 * once, except that resources sharing a dest run in order, and `--diff` output stays in
 * resource order. Outcomes come back in resource order.
 */
export async function renderFromSnapshot(
  resources: readonly TemplateResource[],
  snapshot: KeySnapshot,
  options: PassOptions,
): Promise<ResourceOutcome[]> {
  const limit = options.diff ? 1 : SYNC_CONCURRENCY;
  const outcomes: ResourceOutcome[] = new Array(resources.length);
  const lastForDest = new Map<string, Promise<void>>();
  const inFlight = new Set<Promise<void>>();
  for (const [index, resource] of resources.entries()) {
    while (inFlight.size >= limit) await Promise.race(inFlight);
    const previous = lastForDest.get(resource.dest) ?? Promise.resolve();
    const task = previous.then(async () => {
      outcomes[index] = await processResource(resource, snapshot, options);
    });
    lastForDest.set(resource.dest, task);
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  }
  await Promise.all(lastForDest.values());
  return outcomes;
}

/** fetch + render + sync. Throws only when the backend fetch fails. */
export async function renderPass(
  resources: readonly TemplateResource[],
  database: Database,
  options: PassOptions & { backend?: string },
): Promise<ResourceOutcome[]> {
  const snapshot = await fetchSnapshot(database, resources, options.backend);
  return renderFromSnapshot(resources, snapshot, options);
}

/**
 * Resources with the same prefix and keys see the same data: build their key store once
 * per pass (1000 resources over one tree share a single store).
 */
const storeCache = new WeakMap<KeySnapshot, Map<string, KeyStore>>();

function storeFor(snapshot: KeySnapshot, resource: TemplateResource): KeyStore {
  let stores = storeCache.get(snapshot);
  if (!stores) storeCache.set(snapshot, (stores = new Map()));
  const id = `${resource.prefix}\0${resource.keys.join('\0')}`;
  let store = stores.get(id);
  if (!store) stores.set(id, (store = new KeyStore(snapshot.forResource(resource.prefix, resource.keys))));
  return store;
}

async function processResource(resource: TemplateResource, snapshot: KeySnapshot, options: PassOptions): Promise<ResourceOutcome> {
  const context = { resource: resource.file, template: resource.src };
  let content: string;
  try {
    const store = storeFor(snapshot, resource);
    content = await options.engine.render(resource.src, store, resource.engine);
  } catch (error) {
    return { resource, ok: false, changed: false, error: toConfdError(error, context) };
  }
  try {
    const outcome = await syncFile(content, resource, {
      noop: options.noop,
      diff: options.diff,
      syncOnly: options.syncOnly,
      keepStageFile: options.keepStageFile,
      logger: options.logger,
      diffOutput: options.diffOutput,
      color: options.color,
    });
    return { resource, ok: true, changed: outcome.changed };
  } catch (error) {
    const reloadFailed = error instanceof ReloadError;
    return { resource, ok: false, changed: reloadFailed, reloadFailed, error: toConfdError(error, { resource: resource.file }) };
  }
}
