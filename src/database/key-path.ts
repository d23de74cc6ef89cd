/**
 * The one place that decides how keys and prefixes are cleaned, joined and matched.
 * Keys are slash-separated absolute paths, as in confd's memkv store.
 */
import { posix } from 'node:path';

/** `a//b/` → `/a/b`; `` → `/`. Like Go's path.Clean rooted at `/`. */
export function cleanKey(key: string): string {
  const cleaned = posix.normalize('/' + key);
  return cleaned.length > 1 && cleaned.endsWith('/') ? cleaned.slice(0, -1) : cleaned;
}

/** `joinKey('/app', 'db/host')` → `/app/db/host`. */
export function joinKey(...parts: string[]): string {
  return cleanKey(parts.join('/'));
}

/**
 * True when `key` is `prefix` or lies below it by whole path segment.
 * `/app` matches `/app` and `/app/x`, never `/application` (confd gets this wrong).
 */
export function isUnderPrefix(key: string, prefix: string): boolean {
  if (prefix === '/' || prefix === '') return true;
  return key === prefix || (key.startsWith(prefix) && key.charCodeAt(prefix.length) === 47 /* / */);
}

/** Makes `key` relative to `prefix`, rooted at `/`: (`/app/db/host`, `/app`) → `/db/host`. */
export function stripPrefix(key: string, prefix: string): string {
  if (prefix === '/' || prefix === '') return cleanKey(key);
  if (!isUnderPrefix(key, prefix)) return cleanKey(key);
  return cleanKey(key.slice(prefix.length));
}

/** Keeps the entries of `values` lying under any of `prefixes`. */
export function pickUnder(values: Record<string, string>, prefixes: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const cleaned = prefixes.map(cleanKey);
  for (const [key, value] of Object.entries(values)) {
    if (cleaned.some((p) => isUnderPrefix(key, p))) out[key] = value;
  }
  return out;
}

/** The fewest prefixes covering all of `keys`: drops duplicates and keys under another key. */
export function coveringPrefixes(keys: Iterable<string>): string[] {
  const sorted = [...new Set([...keys].map((k) => cleanKey(k)))].sort();
  const out: string[] = [];
  for (const key of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && (last === '/' || key === last || key.startsWith(last + '/'))) continue;
    out.push(key);
  }
  return out;
}
