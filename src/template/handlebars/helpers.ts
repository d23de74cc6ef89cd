/**
 * Registers the shared template functions as Handlebars helpers. The adapter splits off
 * Handlebars' trailing `options`, checks the arity as Go does, converts arguments to the
 * declared types by Handlebars' lenient rules (it has one number type; a number passed
 * for a string is its text), and turns a thrown error into one carrying the line.
 */
import type { HelperDelegate, HelperOptions } from 'handlebars';
import { arityError, KeyedError, paramType, type ParamType, type RenderState, type TemplateFunction } from '../functions/define.js';
import { formatValue } from '../functions/fmt/print.js';
import { GoFloat, GoInt, GoList, goTypeName, KVPair } from '../functions/values.js';

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

interface LocatedOptions extends HelperOptions {
  loc?: { start: { line: number; column: number } };
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : formatValue(value);
}

/** Whole JSON numbers are plain numbers to Handlebars helpers, as every Handlebars number literal is. */
function handlebarsNumber(value: unknown): unknown {
  if (value instanceof GoFloat && Number.isInteger(value.value)) return value.value;
  if (value instanceof GoInt && !value.type.stringer) return value.value;
  return value;
}

function convert(value: unknown, type: ParamType): unknown {
  const n = handlebarsNumber(value);
  switch (type) {
    case 'value':
      return n;
    case 'any':
      // Handlebars has no named list types: a list of pairs is a []KVPair (Go's memkv.KVPairs is not).
      if (value instanceof GoList && value.goType === 'memkv.KVPairs') return GoList.fromItems(value, '[]memkv.KVPair');
      return value === undefined ? null : value;
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof n === 'number' || typeof n === 'boolean' || value instanceof GoFloat) return formatValue(value);
      break;
    case 'int':
      if (typeof n === 'number' && Number.isInteger(n)) return n;
      throw new Error(`expected integer; found ${value === undefined ? '<no value>' : describe(value)}`);
    case 'bool':
      if (typeof value === 'boolean') return value;
      break;
    case '[]string':
      if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value instanceof GoList ? value : GoList.fromItems(value, '[]string');
      break;
    case '[]KVPair':
      if (Array.isArray(value) && value.every((item) => item instanceof KVPair)) return value;
      break;
  }
  if (value === undefined || value === null) throw new Error(`invalid value; expected ${type}`);
  throw new Error(`wrong type for value; expected ${type === '[]KVPair' ? '[]memkv.KVPair' : type}; got ${goTypeName(value)}`);
}

export function helperFor(name: string, fn: TemplateFunction): HelperDelegate {
  return function helper(this: unknown, ...all: unknown[]) {
    const options = all.pop() as LocatedOptions;
    const state = (options.data as { confd?: RenderState } | undefined)?.confd;
    if (!state) throw new TemplateHelperError(`${name}: no render state (template rendered outside confd)`, name);
    const line = options.loc?.start.line;
    const column = options.loc ? options.loc.start.column + 1 : undefined;
    try {
      const arity = arityError(name, fn, all.length);
      if (arity) throw new Error(arity);
      return fn.call(all.map((arg, i) => convert(arg, paramType(fn, i))), state);
    } catch (error) {
      const e = error as Error;
      throw new TemplateHelperError(`error calling ${name}: ${e.message}`, name, line, column, error instanceof KeyedError ? error.key : undefined);
    }
  };
}
