/**
 * Go text/template's builtin functions with Go's semantics and error texts: and or not
 * len index slice print printf println eq ne lt le gt ge html js urlquery call. Both
 * engines use them (Handlebars as helpers). The Go engine evaluates and/or lazily
 * itself, with the same goTruth.
 */
import { defineFunction, type TemplateFunction } from './define.js';
import { sprint, sprintln } from './fmt/print.js';
import { sprintf } from './fmt/sprintf.js';
import { GoInt, GoList, goKind, goTruth, goTypeName, isStringer, numberValue, structTypeOf, UINT8 } from './values.js';

/** Go's basicKind for comparisons. */
type BasicKind = 'bool' | 'int' | 'uint' | 'float' | 'string' | 'other';

function basicKind(value: unknown): BasicKind {
  const kind = goKind(value);
  return kind === 'bool' || kind === 'int' || kind === 'uint' || kind === 'float' || kind === 'string' ? kind : 'other';
}

/** A builtin sees a nil interface as no value at all (Go's indirectInterface). */
function isInvalid(value: unknown): boolean {
  return value === undefined || value === null;
}

const BAD_COMPARISON_TYPE = 'invalid type for comparison';
const BAD_COMPARISON = 'incompatible types for comparison';

function isComparable(value: unknown): boolean {
  const kind = goKind(value);
  return kind !== 'slice' && kind !== 'map';
}

function structEqual(a: unknown, b: unknown): boolean {
  const type = structTypeOf(a);
  if (!type || type !== structTypeOf(b)) return a === b;
  if (type.pointer) return a === b;
  return type.fields.every(([, read]) => read(a as never) === read(b as never));
}

function equal(a: unknown, b: unknown): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka !== kb) {
    if ((ka === 'int' && kb === 'uint') || (ka === 'uint' && kb === 'int')) return numberValue(a) === numberValue(b);
    if (!isInvalid(a) && !isInvalid(b)) throw new Error(BAD_COMPARISON);
    return false;
  }
  switch (ka) {
    case 'bool':
    case 'string':
      return a === b;
    case 'int':
    case 'uint':
    case 'float':
      return numberValue(a) === numberValue(b);
  }
  const sameKind = goKind(a) === goKind(b) || isInvalid(a) || isInvalid(b);
  // Go prints the values in these messages; we print only their types, as values may be secrets.
  if (!sameKind) throw new Error(`non-comparable types ${goTypeName(a)}, ${goTypeName(b)}`);
  if (isInvalid(a) || isInvalid(b)) return isInvalid(a) === isInvalid(b);
  if (!isComparable(b)) throw new Error(`non-comparable type ${goTypeName(b)}`);
  return structEqual(a, b);
}

function lessThan(a: unknown, b: unknown): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'other' || kb === 'other') throw new Error(BAD_COMPARISON_TYPE);
  if (ka !== kb) {
    if ((ka === 'int' && kb === 'uint') || (ka === 'uint' && kb === 'int')) return numberValue(a)! < numberValue(b)!;
    throw new Error(BAD_COMPARISON);
  }
  switch (ka) {
    case 'bool':
      throw new Error(BAD_COMPARISON_TYPE);
    case 'string':
      return (a as string) < (b as string);
    default:
      return numberValue(a)! < numberValue(b)!;
  }
}

function eq(args: unknown[]): boolean {
  const [first, ...others] = args;
  if (others.length === 0) throw new Error('missing argument for comparison');
  return others.some((other) => equal(first, other));
}

function isAscii(text: string): boolean {
  return /^[\x00-\x7f]*$/.test(text);
}

/** Go's len of a string counts bytes. */
function byteLength(text: string): number {
  return isAscii(text) ? text.length : Buffer.byteLength(text);
}

/** An index argument as an int, with Go's errors. */
function indexArg(index: unknown, cap: number): number {
  const kind = goKind(index);
  if (isInvalid(index)) throw new Error('cannot index slice/array with nil');
  if (kind !== 'int' && kind !== 'uint') throw new Error(`cannot index slice/array with type ${goTypeName(index)}`);
  const x = numberValue(index)!;
  if (x < 0 || x > cap) throw new Error(`index out of range: ${x}`);
  return x;
}

function indexOne(item: unknown, index: unknown): unknown {
  if (typeof item === 'string') {
    const bytes = isAscii(item) ? undefined : Buffer.from(item);
    const length = bytes ? bytes.length : item.length;
    const x = indexArg(index, length);
    if (x === length) throw new Error('reflect: string index out of range');
    return new GoInt(bytes ? bytes[x] : item.charCodeAt(x), UINT8);
  }
  if (Array.isArray(item)) {
    const x = indexArg(index, item.length);
    if (x === item.length) throw new Error('reflect: slice index out of range');
    return item[x];
  }
  if (goKind(item) === 'map') {
    if (isInvalid(index)) throw new Error('value is nil; should be of type string');
    if (typeof index !== 'string') throw new Error(`value has type ${goTypeName(index)}; should be string`);
    // A missing key gives the map's zero element: a nil interface.
    return Object.hasOwn(item as object, index) ? (item as Record<string, unknown>)[index] : null;
  }
  throw new Error(`can't index item of type ${goTypeName(item)}`);
}

function sliceOf(args: unknown[]): unknown {
  const [item, ...indexes] = args;
  if (isInvalid(item)) throw new Error('slice of untyped nil');
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  let length: number;
  if (typeof item === 'string') {
    if (indexes.length === 3) throw new Error('cannot 3-index slice a string');
    length = byteLength(item);
  } else if (Array.isArray(item)) {
    length = item.length;
  } else {
    throw new Error(`can't slice item of type ${goTypeName(item)}`);
  }
  const idx = [0, length, length];
  indexes.forEach((index, i) => (idx[i] = indexArg(index, length)));
  if (idx[0] > idx[1]) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1] > idx[2]) throw new Error(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (typeof item === 'string') {
    return isAscii(item) ? item.slice(idx[0], idx[1]) : Buffer.from(item).subarray(idx[0], idx[1]).toString();
  }
  const list = item as unknown[];
  return GoList.fromItems(list.slice(idx[0], idx[1]), list instanceof GoList ? list.goType : '[]interface {}');
}

/** html, js and urlquery print their arguments as Go's evalArgs does: one string as is, else Sprint. */
function escaperInput(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (isInvalid(a) ? '<no value>' : a)));
}

const HTML_ESCAPES: Record<string, string> = { '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;', '\0': '\uFFFD' };

export function htmlEscape(text: string): string {
  return text.replace(/["'&<>\0]/g, (c) => HTML_ESCAPES[c]);
}

const JS_ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D' };

export function jsEscape(text: string): string {
  let out = '';
  for (const ch of text) {
    const r = ch.codePointAt(0)!;
    if (JS_ESCAPES[ch]) out += JS_ESCAPES[ch];
    else if (r < 0x20) out += '\\u00' + r.toString(16).toUpperCase().padStart(2, '0');
    else if (r < 0x80 || /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) out += ch;
    else out += '\\u' + r.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/** Go's url.QueryEscape. */
export function queryEscape(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function length(item: unknown): number {
  if (item === undefined) throw new Error('reflect: call of reflect.Value.Type on zero Value');
  if (item === null) throw new Error('len of nil pointer');
  if (typeof item === 'string') return byteLength(item);
  if (Array.isArray(item)) return item.length;
  if (goKind(item) === 'map' && !isStringer(item)) return Object.keys(item).length;
  throw new Error(`len of type ${goTypeName(item)}`);
}

/** and/or evaluated eagerly (Handlebars); the Go engine short-circuits with goTruth itself. */
function andOr(wantTruth: boolean): TemplateFunction {
  return defineFunction(['value'], (args) => {
    const deciding = args.findIndex((a) => goTruth(a) === wantTruth);
    return args[deciding < 0 ? args.length - 1 : deciding];
  }, 'value');
}

export const BUILTIN_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  and: andOr(false),
  or: andOr(true),
  not: defineFunction(['value'], ([arg]) => !goTruth(arg)),
  len: defineFunction(['value'], ([item]) => length(item)),
  index: defineFunction(['value'], ([item, ...indexes]) => {
    if (isInvalid(item)) throw new Error('index of untyped nil');
    let current = item;
    for (const index of indexes) {
      if (current === null) throw new Error('index of nil pointer');
      current = indexOne(current, isInvalid(index) ? undefined : index);
    }
    return current;
  }, 'value'),
  slice: defineFunction(['value'], (args) => sliceOf(args), 'value'),
  print: defineFunction([], (args) => sprint(args), 'any'),
  printf: defineFunction(['string'], ([format, ...args]) => sprintf(format as string, args), 'any'),
  println: defineFunction([], (args) => sprintln(args), 'any'),
  eq: defineFunction(['value'], (args) => eq(args), 'value'),
  ne: defineFunction(['value', 'value'], ([a, b]) => !eq([a, b])),
  lt: defineFunction(['value', 'value'], ([a, b]) => lessThan(a, b)),
  le: defineFunction(['value', 'value'], ([a, b]) => lessThan(a, b) || eq([a, b])),
  gt: defineFunction(['value', 'value'], ([a, b]) => !(lessThan(a, b) || eq([a, b]))),
  ge: defineFunction(['value', 'value'], ([a, b]) => !lessThan(a, b)),
  html: defineFunction([], (args) => htmlEscape(escaperInput(args)), 'any'),
  js: defineFunction([], (args) => jsEscape(escaperInput(args)), 'any'),
  urlquery: defineFunction([], (args) => queryEscape(escaperInput(args)), 'any'),
  call: defineFunction(['value'], ([fn]) => {
    if (isInvalid(fn)) throw new Error('call of nil');
    throw new Error(`non-function of type ${goTypeName(fn)}`);
  }, 'value'),
};
