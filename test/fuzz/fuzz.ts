/**
 * Shared pieces of the fuzz corpus (property-based tests with fast-check).
 *
 * CI runs every property with a fixed seed and a bounded count. For a longer run:
 *
 *   CONFD_FUZZ_RUNS=20000 CONFD_FUZZ_SEED=$RANDOM npx vitest run --project unit test/fuzz
 *
 * A failure prints the seed and the shrunk counterexample; re-run with that seed (and
 * `CONFD_FUZZ_PATH` from the report) to reproduce it.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { ConfdError, formatError } from '../../src/errors.js';

const DEFAULT_SEED = 16;
const DEFAULT_RUNS = 150;

/** fast-check parameters: fixed in CI, overridable for a longer run. */
export function fuzzParameters(scale = 1): fc.Parameters<unknown> {
  const runs = Number(process.env.CONFD_FUZZ_RUNS ?? DEFAULT_RUNS);
  return {
    seed: Number(process.env.CONFD_FUZZ_SEED ?? DEFAULT_SEED),
    numRuns: Math.max(1, Math.round(runs * scale)),
    path: process.env.CONFD_FUZZ_PATH,
    endOnFailure: true,
  };
}

/** Fragments that tend to break parsers: structure, quoting, YAML anchors and merges, odd bytes. */
const NASTY = [
  '"', "'", '[', ']', '{', '}', '[[', ']]', '=', ':', ': ', ',', '#', '\n', '\r\n', '\t', '  ', '\\', '\\u0000', '\u0000',
  '&a ', '*a', '<<: ', '<<: *a', '- ', '---\n', '...\n', '!!binary ', '!!python/object ', '? ', '|', '>', '%YAML 1.2\n',
  'true', 'null', '-1', '1e999', '0x1F', '0o7', '99999999999999999999', '""', '"""', "'''", '../', '/..', '//', '💥', '\uFFFE', '\uD800',
  'template', 'src', 'dest', 'keys', 'mode', 'owner', 'check_cmd', 'min_keys', 'prefix', 'backend', 'nodes', 'interval', 'wait',
];

type Edit = { op: 'insert'; at: number; text: string } | { op: 'delete' | 'duplicate'; at: number; length: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 8 })) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
);

function applyEdit(text: string, e: Edit): string {
  const at = e.at % (text.length + 1);
  if (e.op === 'insert') return text.slice(0, at) + e.text + text.slice(at);
  if (e.op === 'delete') return text.slice(0, at) + text.slice(at + e.length);
  return text.slice(0, at) + text.slice(at, at + e.length) + text.slice(at);
}

/** A valid seed document, mutated by a few random edits (sometimes none). */
export function mutated(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(edit, { maxLength: 6 })).map(([seed, edits]) => edits.reduce(applyEdit, seed));
}

/** Random text: mostly nasty fragments glued together, sometimes arbitrary unicode. */
export const junk: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.constantFrom(...NASTY), { maxLength: 30 }).map((parts) => parts.join('')),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** A failure must be a ConfdError (or the given class) with a one-line message, never a stack trace. */
export function expectClearError(error: unknown, type: new (...args: never[]) => Error = ConfdError): void {
  expect(error, `unexpected ${(error as Error)?.constructor?.name}: ${(error as Error)?.stack}`).toBeInstanceOf(type);
  const message = error instanceof ConfdError ? formatError(error) : (error as Error).message;
  expect(message.length).toBeGreaterThan(0);
  expect(message).not.toMatch(/\n\s+at /);
}
