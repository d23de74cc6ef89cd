/**
 * One watch per distinct prefix: resources that share a prefix share one
 * `watchPrefix` call, over the union of their keys. An event on a group re-renders
 * only that group's resources.
 */
import type { TemplateResource } from '../resource/template-resource.js';
import { coveringPrefixes } from '../database/key-path.js';

export interface WatchGroup {
  prefix: string;
  /** The union of the resources' keys, reduced to the fewest covering prefixes. */
  keys: string[];
  /** The conf.d files of the resources in the group. */
  resources: string[];
  /** Equal for two groups that need the same backend watch (prefix and keys); see watchIdentity. */
  readonly identity: string;
}

export function groupByPrefix(resources: Iterable<TemplateResource>): WatchGroup[] {
  const byPrefix = new Map<string, TemplateResource[]>();
  for (const resource of resources) {
    const list = byPrefix.get(resource.prefix) ?? [];
    list.push(resource);
    byPrefix.set(resource.prefix, list);
  }
  return [...byPrefix.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([prefix, members]) => {
      const keys = coveringPrefixes(members.flatMap((r) => r.keys));
      return { prefix, keys, resources: members.map((r) => r.file).sort(), identity: watchIdentity({ prefix, keys }) };
    });
}

/** Two groups need the same backend watch when prefix and keys are equal. */
export function watchIdentity(group: Pick<WatchGroup, 'prefix' | 'keys'>): string {
  return JSON.stringify([group.prefix, group.keys]);
}
