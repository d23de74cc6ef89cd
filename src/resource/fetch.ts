/**
 * The fetch step of a pass: ONE getValues per backend, for the union of the keys of
 * every resource that reads it, all backends at once. A backend that fails is reported
 * by name; with a last-good store its resources render from the values it last gave.
 */
import type { Database, GetValuesOptions } from '../database/database.js';
import { coveringPrefixes } from '../database/key-path.js';
import { ConfdError, toConfdError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { describeDroppedKeys, keepKeysInScope } from './key-scope.js';
import type { LastGoodValues } from './last-good.js';
import { KeySnapshot } from './snapshot.js';
import type { TemplateResource } from './template-resource.js';

/** An open backend as a pass sees it. */
export interface PassBackend {
  database: Database;
  /** For errors and logs (`etcd`, `prod (etcd)`). */
  name: string;
}

/** The open backends, by their name in confd.toml (`default` is the top level). */
export type PassBackends = ReadonlyMap<string, PassBackend>;

export interface FetchedSnapshots {
  /** One snapshot per backend that answered (or whose last good values stood in). */
  snapshots: Map<string, KeySnapshot>;
  /** Backends that failed; their resources are not rendered (unless last good values stood in). */
  failures: Map<string, ConfdError>;
}

/** Every backend's covering prefixes for these resources. */
export function prefixesByBackend(resources: readonly TemplateResource[]): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const resource of resources) {
    for (const backend of resource.backends) {
      const list = keys.get(backend) ?? [];
      list.push(...resource.keys);
      keys.set(backend, list);
    }
  }
  return new Map([...keys].map(([backend, list]) => [backend, coveringPrefixes(list)]));
}

export interface FetchOptions {
  /** With `--keep-last-good`: values a failing backend last returned stand in for it. */
  lastGood?: LastGoodValues;
  /** Warned when a backend returns keys outside what was asked for. */
  logger?: Logger;
  /** The pass follows watch events only (see GetValuesOptions). */
  afterWatchEvent?: boolean;
}

export async function fetchSnapshots(resources: readonly TemplateResource[], backends: PassBackends, options: FetchOptions = {}): Promise<FetchedSnapshots> {
  const { lastGood, logger } = options;
  const readOptions: GetValuesOptions = { afterWatchEvent: options.afterWatchEvent === true };
  const result: FetchedSnapshots = { snapshots: new Map(), failures: new Map() };
  await Promise.all(
    [...prefixesByBackend(resources)].map(async ([name, prefixes]) => {
      const backend = backends.get(name);
      if (prefixes.length === 0) {
        result.snapshots.set(name, new KeySnapshot({}));
        return;
      }
      try {
        if (!backend) throw new ConfdError(`backend ${name} is not open`, { backend: name });
        // Every key is cleaned and must lie under a requested prefix, whatever answered.
        const scoped = keepKeysInScope(await backend.database.getValues(prefixes, readOptions), prefixes);
        if (scoped.dropped.length > 0) logger?.warn(describeDroppedKeys(scoped.dropped, backend.name, prefixes));
        const values = scoped.values;
        lastGood?.record(name, prefixes, values);
        result.snapshots.set(name, new KeySnapshot(values));
      } catch (error) {
        // Name the backend as confd.toml does, whatever the backend called itself.
        const failure = toConfdError(error);
        result.failures.set(name, new ConfdError(failure.message, { ...failure.context, backend: backend?.name ?? name }, { cause: failure.cause }));
        const kept = lastGood?.values(name, prefixes);
        if (kept) result.snapshots.set(name, new KeySnapshot(kept));
      }
    }),
  );
  return result;
}
