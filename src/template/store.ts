/**
 * The key store templates read: confd's memkv semantics, with two fixes (root `ls`/
 * `lsdir` return real children; lookup keys are cleaned like stored ones). Keys are
 * kept sorted so every query scans only the subtree it asks about.
 */
import { cleanKey } from '../database/key-path.js';
import { compileGlob } from '../util/go-glob.js';
import { lowerBound } from '../util/sorted.js';
import { GoList, KVPair } from './functions/values.js';

export class KeyNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`key does not exist: ${key}`);
    this.name = 'KeyNotFoundError';
  }
}

export class KeyStore {
  private readonly values = new Map<string, string>();
  private readonly sorted: string[];
  /**
   * The store never changes once built, so query results are memoised: resources that
   * share a store (same prefix and keys) answer each `gets`/`ls` once per pass. Results
   * are never mutated by helpers (reverse and the sorts return copies).
   */
  private readonly memo = new Map<string, unknown>();

  private remember<T>(kind: string, argument: string, compute: () => T): T {
    const id = `${kind}\0${argument}`;
    if (this.memo.has(id)) return this.memo.get(id) as T;
    const result = compute();
    this.memo.set(id, result);
    return result;
  }

  constructor(entries: Iterable<[string, string]> | Record<string, string> = []) {
    const iterable = Symbol.iterator in Object(entries) ? (entries as Iterable<[string, string]>) : Object.entries(entries);
    for (const [key, value] of iterable) this.values.set(cleanKey(key), value);
    this.sorted = [...this.values.keys()].sort();
  }

  get size(): number {
    return this.values.size;
  }

  get(key: string): KVPair {
    const clean = cleanKey(key);
    const value = this.values.get(clean);
    if (value === undefined) throw new KeyNotFoundError(key);
    return new KVPair(clean, value);
  }

  exists(key: string): boolean {
    return this.values.has(cleanKey(key));
  }

  /** The value, or `fallback` when given and the key is missing. */
  getv(key: string, fallback?: string): string {
    const value = this.values.get(cleanKey(key));
    if (value !== undefined) return value;
    if (fallback !== undefined) return fallback;
    throw new KeyNotFoundError(key);
  }

  /** Pairs whose key matches the glob (`*` does not cross `/`), sorted by key. */
  gets(pattern: string): GoList<KVPair> {
    return this.remember('gets', pattern, () => this.computeGets(pattern));
  }

  private computeGets(pattern: string): GoList<KVPair> {
    const regex = compileGlob(pattern);
    const out = GoList.fromItems<KVPair>([], 'memkv.KVPairs');
    for (const key of this.candidates(pattern)) if (regex.test(key)) out.push(new KVPair(key, this.values.get(key)!));
    return out;
  }

  /** Values of the glob's matches, sorted by value. */
  getvs(pattern: string): GoList<string> {
    return this.remember('getvs', pattern, () => GoList.fromItems(this.gets(pattern).map((p) => p.Value).sort(compareStrings), '[]string'));
  }

  /** Sorted unique names of the direct children of `path` (leaves and directories). */
  ls(path: string): GoList<string> {
    return this.remember('ls', path, () => this.children(path, false));
  }

  /** Sorted unique names of the direct children of `path` that have children. */
  lsdir(path: string): GoList<string> {
    return this.remember('lsdir', path, () => this.children(path, true));
  }

  private children(path: string, dirsOnly: boolean): GoList<string> {
    const base = cleanKey(path);
    const names = new Set<string>();
    const start = base === '/' ? '/' : base + '/';
    for (const key of this.subtree(start)) {
      const rest = key.slice(start.length);
      const slash = rest.indexOf('/');
      if (slash < 0) {
        if (!dirsOnly && rest !== '') names.add(rest);
      } else {
        names.add(rest.slice(0, slash));
      }
    }
    return GoList.fromItems([...names].sort(compareStrings), '[]string');
  }

  /** Keys starting with `prefix` (a directory path ending in `/`), via binary search. */
  private *subtree(prefix: string): Generator<string> {
    let i = lowerBound(this.sorted, prefix);
    for (; i < this.sorted.length && this.sorted[i].startsWith(prefix); i++) yield this.sorted[i];
  }

  /** Only keys under the pattern's literal leading directories can match it. */
  private candidates(pattern: string): Iterable<string> {
    const meta = pattern.search(/[*?[\\]/);
    if (meta < 0) return this.values.has(pattern) ? [pattern] : [];
    const literalDir = pattern.slice(0, pattern.lastIndexOf('/', meta) + 1);
    return literalDir.startsWith('/') ? this.subtree(literalDir) : this.sorted;
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
