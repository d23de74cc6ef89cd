/**
 * The one wrapper every helper goes through: it splits Handlebars' trailing `options`
 * argument off, hands the helper its render state, and turns a thrown error into a
 * TemplateHelperError carrying the template line — so errors name the line and key.
 */
import type { HelperDelegate, HelperOptions } from 'handlebars';
import type { KeyStore } from '../store.js';

/** Per-render state, reached through Handlebars' `@data`. */
export interface RenderState {
  store: KeyStore;
  env: NodeJS.ProcessEnv;
  dns: DnsState;
}

export interface DnsState {
  /** Resolved answers by query (`ip:localhost`, `srv:_http._tcp.example.com`). */
  answers: Map<string, unknown>;
  /** Queries a helper asked for that are not resolved yet; the engine resolves and re-renders. */
  pending: Set<string>;
}

export class TemplateHelperError extends Error {
  constructor(
    message: string,
    readonly helper: string,
    readonly line?: number,
    readonly column?: number,
    readonly key?: string,
  ) {
    super(message);
    this.name = 'TemplateHelperError';
  }
}

/** Thrown by helpers for errors that name a key (`key does not exist: /x`). */
export class KeyedError extends Error {
  constructor(message: string, readonly key: string) {
    super(message);
  }
}

export type HelperFn = (args: unknown[], state: RenderState) => unknown;

interface LocatedOptions extends HelperOptions {
  loc?: { start: { line: number; column: number } };
  name?: string;
}

export function defineHelper(name: string, fn: HelperFn): HelperDelegate {
  return function helper(this: unknown, ...all: unknown[]) {
    const options = all.pop() as LocatedOptions;
    const state = (options.data as { confd?: RenderState } | undefined)?.confd;
    if (!state) throw new TemplateHelperError(`${name}: no render state (template rendered outside confd)`, name);
    try {
      return fn(all, state);
    } catch (error) {
      const e = error as Error & { key?: string };
      const line = options.loc?.start.line;
      const column = options.loc ? options.loc.start.column + 1 : undefined;
      throw new TemplateHelperError(`error calling ${name}: ${e.message}`, name, line, column, e.key);
    }
  };
}

/** Go's typed arguments: a helper declared `(a, b int)` rejects "1". */
export function expectInt(value: unknown): number {
  const n = typeof value === 'object' && value !== null && 'valueOf' in value ? (value as { valueOf(): unknown }).valueOf() : value;
  if (typeof n === 'number' && Number.isInteger(n)) return n;
  throw new Error(`expected integer; found ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
}

export function expectString(value: unknown, what = 'string'): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) throw new Error(`expected ${what}; found <nil>`);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`expected ${what}; found ${String(value)}`);
}

export function expectArity(args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    throw new Error(`wrong number of args: want ${min === max ? min : `${min} to ${max}`}, got ${args.length}`);
  }
}
