/**
 * `--keep-last-good`: the values each backend last returned, so that while a backend
 * fails its resources keep rendering from them (instead of failing). Only prefixes that
 * were fetched successfully at least once can be served.
 */
import type { KeyValues } from '../database/database.js';
import { coveringPrefixes, isUnderPrefix, pickUnder } from '../database/key-path.js';

interface BackendValues {
  values: KeyValues;
  /** Prefixes fetched at least once, so an absent key there really was absent. */
  covered: string[];
}

export class LastGoodValues {
  private readonly byBackend = new Map<string, BackendValues>();

  /** A successful fetch of `prefixes`: its answer replaces what was kept under them. */
  record(backend: string, prefixes: readonly string[], answer: KeyValues): void {
    const kept = this.byBackend.get(backend) ?? { values: {}, covered: [] };
    for (const key of Object.keys(kept.values)) {
      if (prefixes.some((p) => isUnderPrefix(key, p))) delete kept.values[key];
    }
    Object.assign(kept.values, answer);
    kept.covered = coveringPrefixes([...kept.covered, ...prefixes]);
    this.byBackend.set(backend, kept);
  }

  /** The last good values under `prefixes`, or undefined when any of them was never fetched. */
  values(backend: string, prefixes: readonly string[]): KeyValues | undefined {
    const kept = this.byBackend.get(backend);
    if (!kept || !prefixes.every((p) => kept.covered.some((c) => isUnderPrefix(p, c)))) return undefined;
    return pickUnder(kept.values, prefixes);
  }

  /** Forgets a backend (removed or replaced on SIGHUP). */
  forget(backend: string): void {
    this.byBackend.delete(backend);
  }
}
