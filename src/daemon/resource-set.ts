/**
 * The daemon's current resources, keyed by conf.d file. Loading (at start and on
 * SIGHUP) replaces good files, drops deleted ones, and keeps the last good version of
 * a file that no longer parses (its error is reported with file:line).
 */
import type { LoadedResourceFile } from '../resource/load.js';
import type { TemplateResource } from '../resource/template-resource.js';
import type { ConfdError } from '../errors.js';

export interface ResourceChanges {
  added: string[];
  removed: string[];
  changed: string[];
  /** Files that failed to load; `keptLastGood` when an older version is still served. */
  broken: { file: string; error: ConfdError; keptLastGood: boolean }[];
}

export class ResourceSet {
  private byFile = new Map<string, TemplateResource>();

  get size(): number {
    return this.byFile.size;
  }

  all(): TemplateResource[] {
    return [...this.byFile.values()];
  }

  get(file: string): TemplateResource | undefined {
    return this.byFile.get(file);
  }

  /** Applies a fresh load of conf.d and reports what changed. */
  apply(loaded: readonly LoadedResourceFile[]): ResourceChanges {
    const next = new Map<string, TemplateResource>();
    const changes: ResourceChanges = { added: [], removed: [], changed: [], broken: [] };
    for (const entry of loaded) {
      const previous = this.byFile.get(entry.file);
      if (entry.resource) {
        next.set(entry.file, entry.resource);
        if (!previous) changes.added.push(entry.file);
        else if (JSON.stringify(previous) !== JSON.stringify(entry.resource)) changes.changed.push(entry.file);
      } else if (entry.error) {
        if (previous) next.set(entry.file, previous);
        changes.broken.push({ file: entry.file, error: entry.error, keptLastGood: previous !== undefined });
      }
    }
    for (const file of this.byFile.keys()) if (!next.has(file)) changes.removed.push(file);
    this.byFile = next;
    return changes;
  }
}
