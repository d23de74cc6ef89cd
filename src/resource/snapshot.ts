/**
 * A key snapshot: everything one getValues call returned, sorted once so each
 * resource can slice out its keys by binary search instead of scanning every key
 * (1000 resources over a 10 000-key tree stay cheap).
 */
import type { KeyValues } from '../database/database.js';
import { cleanKey, stripPrefix } from '../database/key-path.js';
import { lowerBound } from '../util/sorted.js';

export class KeySnapshot {
  private readonly sortedKeys: string[];

  constructor(readonly values: KeyValues) {
    this.sortedKeys = Object.keys(values).sort();
  }

  /** Entries under `prefix` (itself and below by whole segment), as absolute keys. */
  *under(prefix: string): Generator<[string, string]> {
    const clean = cleanKey(prefix);
    if (clean === '/') {
      for (const key of this.sortedKeys) yield [key, this.values[key]];
      return;
    }
    if (Object.hasOwn(this.values, clean)) yield [clean, this.values[clean]];
    // Keys below `/a` sort between `/a/` and `/a0` ('0' follows '/').
    const start = lowerBound(this.sortedKeys, clean + '/');
    const end = lowerBound(this.sortedKeys, clean + '0');
    for (let i = start; i < end; i++) yield [this.sortedKeys[i], this.values[this.sortedKeys[i]]];
  }

  /** The entries a resource sees: its keys' subtrees, relative to its prefix. */
  forResource(prefix: string, keys: readonly string[]): Map<string, string> {
    const entries = new Map<string, string>();
    for (const key of keys) {
      for (const [absolute, value] of this.under(key)) entries.set(stripPrefix(absolute, prefix), value);
    }
    return entries;
  }
}
