/**
 * Keys stay in their prefix. Whatever a backend or plugin answers, each key is cleaned
 * here and kept only when it lies under one of the prefixes that were asked for.
 *
 * A key with a `..` segment is dropped outright: `/zz/../db/host` cleans to `/db/host`,
 * so a writer limited (by etcd RBAC, say) to `/zz/` could otherwise set `/db/host` for
 * every resource reading `/db` — even when `/zz` and `/db` are both requested, or `/`.
 * This is the one place that enforces it, for every backend and every plugin.
 */
import type { KeyValues } from '../database/database.js';
import { cleanKey, coveringPrefixes } from '../database/key-path.js';

export interface ScopedKeys {
  values: KeyValues;
  /** Keys as the backend sent them, each with why it was dropped. */
  dropped: Array<{ key: string; why: string }>;
}

const DOT_DOT_SEGMENT = /(^|\/)\.\.(\/|$)/;

/** True when `key` (cleaned) is a prefix or lies below one: each ancestor is one Set lookup. */
function underAny(key: string, prefixes: ReadonlySet<string>): boolean {
  if (prefixes.has('/') || prefixes.has(key)) return true;
  for (let slash = key.indexOf('/', 1); slash > 0; slash = key.indexOf('/', slash + 1)) {
    if (prefixes.has(key.slice(0, slash))) return true;
  }
  return false;
}

export function keepKeysInScope(answer: KeyValues, requested: readonly string[]): ScopedKeys {
  const prefixes = new Set(coveringPrefixes(requested));
  const values: KeyValues = {};
  const dropped: ScopedKeys['dropped'] = [];
  for (const [key, value] of Object.entries(answer)) {
    if (DOT_DOT_SEGMENT.test(key)) {
      dropped.push({ key, why: 'has a ".." segment' });
      continue;
    }
    const clean = cleanKey(key);
    if (!underAny(clean, prefixes)) {
      dropped.push({ key, why: 'lies outside the requested prefixes' });
      continue;
    }
    values[clean] = value;
  }
  return { values, dropped };
}

const NAMED_IN_WARNING = 10;

/** One warning line naming the dropped keys (the first few, then a count). */
export function describeDroppedKeys(dropped: ScopedKeys['dropped'], backend: string, requested: readonly string[]): string {
  const named = dropped.slice(0, NAMED_IN_WARNING).map((d) => `${JSON.stringify(d.key)} (${d.why})`);
  const more = dropped.length > NAMED_IN_WARNING ? ` and ${dropped.length - NAMED_IN_WARNING} more` : '';
  return `backend ${backend} returned ${dropped.length} key(s) that do not belong to the requested prefixes (${coveringPrefixes(requested).join(', ')}); ignored: ${named.join(', ')}${more}`;
}
