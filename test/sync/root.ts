/**
 * Tests that need root (chown to another user, mount, dropping to another uid). CI runs
 * as root, so there a non-root run is a failure, not a skip; elsewhere they are skipped
 * with a reason.
 */
import { expect } from 'vitest';

export const isRoot = process.getuid?.() === 0;

/** Call first in a root-only test: fails under CI=true without root, else skips. */
export function requireRoot(): void {
  if (isRoot) return;
  if (process.env.CI === 'true') expect.fail('this test needs root, and CI runs as root');
}

/** For `it.runIf(rootOrCi)`: run when root, or under CI (where requireRoot then fails). */
export const rootOrCi = isRoot || process.env.CI === 'true';
