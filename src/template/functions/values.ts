/**
 * The values templates see, typed as confd's Go functions type them, so both engines
 * print, compare and type-check them as Go does: a Go `int` is a JS number, a
 * `float64` a GoFloat (JSON numbers, float literals), a slice a GoList that knows its
 * Go type (`[]string`, `memkv.KVPairs`), a JSON object a GoMap, `nil` is null and
 * "no value" (a missing map key, nil data) is undefined.
 */
// fmt imports these classes and they print through fmt; neither touches the other at load time.
import { formatValue as formatForPrint } from './fmt/print.js';

/** Go type names of the lists confd's functions return. */
export type ListType = '[]string' | 'memkv.KVPairs' | '[]memkv.KVPair' | '[]int' | '[]interface {}' | '[]*net.SRV';

/** A list that prints like a Go slice and knows its Go type. */
export class GoList<T = unknown> extends Array<T> {
  goType: ListType = '[]interface {}';

  // map/filter/slice give plain arrays: a derived list is not the typed value any more.
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  static fromItems<T>(items: Iterable<T>, goType: ListType = '[]interface {}'): GoList<T> {
    const list = new GoList<T>();
    list.goType = goType;
    for (const item of items) list.push(item);
    return list;
  }

  override toString(): string {
    return formatForPrint(this);
  }
}

/** confd's memkv.KVPair: `.Key` and `.Value`, printed `{/a 1}`. */
export class KVPair {
  constructor(
    readonly Key: string,
    readonly Value: string,
  ) {}

  toString(): string {
    return `{${this.Key} ${this.Value}}`;
  }
}

/** A Go float64 (JSON numbers, float literals). Prints like Go; compares and computes as a number. */
export class GoFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return formatForPrint(this);
  }
  /** Handlebars concatenates values with `+`: print like Go there too. */
  [Symbol.toPrimitive](hint: string): number | string {
    return hint === 'number' ? this.value : this.toString();
  }
}

/** A Go integer type other than `int` (plain JS numbers are `int`). */
export interface IntType {
  name: string;
  unsigned: boolean;
  /** Named types with a String method (time.Month, time.Weekday). */
  stringer?: (value: number) => string;
}

export const UINT8: IntType = { name: 'uint8', unsigned: true };
export const UINT16: IntType = { name: 'uint16', unsigned: true };
export const INT64: IntType = { name: 'int64', unsigned: false };

/** An integer of a Go type other than int: `index "abc" 0` is a uint8, a SRV port a uint16. */
export class GoInt {
  constructor(
    readonly value: number,
    readonly type: IntType,
  ) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return this.type.stringer ? this.type.stringer(this.value) : String(this.value);
  }
  [Symbol.toPrimitive](hint: string): number | string {
    return hint === 'number' ? this.value : this.toString();
  }
}

/** A JSON object or `map` result: Go's map[string]interface{} (printed with sorted keys). */
export class GoMap {
  toString(): string {
    return formatForPrint(this);
  }
}

/** Own keys of a map in Go's printing and ranging order (sorted). */
export function sortedKeys(map: object): string[] {
  return Object.keys(map).sort(compareStrings);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function newGoMap(): Record<string, unknown> {
  return new GoMap() as unknown as Record<string, unknown>;
}

/** Sets a map entry as an own property, so a key such as `__proto__` stays a plain key. */
export function setMapEntry(map: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Turns parsed JSON into Go's json.Unmarshal results: map[string]interface{}, []interface{}, float64. */
export function toGoValue(value: unknown): unknown {
  if (Array.isArray(value)) return GoList.fromItems(value.map(toGoValue));
  if (value !== null && typeof value === 'object') {
    const map = newGoMap();
    for (const key of Object.keys(value)) setMapEntry(map, key, toGoValue((value as Record<string, unknown>)[key]));
    return map;
  }
  if (typeof value === 'number') return new GoFloat(value);
  return value;
}

/**
 * Go struct types the templates can reach, with their fields in declaration order
 * (for `%+v` and field access) and whether values are pointers (`*net.SRV`).
 */
export interface StructType {
  name: string;
  pointer: boolean;
  fields: ReadonlyArray<readonly [name: string, read: (value: never) => unknown]>;
}

const structTypes = new Map<Function, StructType>();

export function registerStruct(ctor: Function, type: StructType): void {
  structTypes.set(ctor, type);
}

export function structTypeOf(value: unknown): StructType | undefined {
  return value !== null && typeof value === 'object' ? structTypes.get(value.constructor) : undefined;
}

registerStruct(KVPair, {
  name: 'memkv.KVPair',
  pointer: false,
  fields: [
    ['Key', (p: KVPair) => p.Key],
    ['Value', (p: KVPair) => p.Value],
  ],
});

/** A value with Go's String method (time.Time): fmt prints it through that method. */
export interface GoStringer {
  goString(): string;
}

export function isStringer(value: unknown): value is GoStringer {
  return value !== null && typeof value === 'object' && typeof (value as Partial<GoStringer>).goString === 'function';
}

/** Go's reflect Kind, as far as templates can tell the values apart. */
export type GoKind = 'invalid' | 'nil' | 'bool' | 'int' | 'uint' | 'float' | 'string' | 'slice' | 'map' | 'struct' | 'ptr';

export function goKind(value: unknown): GoKind {
  switch (typeof value) {
    case 'undefined':
      return 'invalid';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'bigint':
      return 'int';
  }
  if (value === null) return 'nil';
  if (value instanceof GoFloat) return 'float';
  if (value instanceof GoInt) return value.type.unsigned ? 'uint' : 'int';
  if (Array.isArray(value)) return 'slice';
  const struct = structTypeOf(value);
  if (struct) return struct.pointer ? 'ptr' : 'struct';
  if (isStringer(value)) return 'struct';
  if (typeof value === 'object') return 'map';
  return 'invalid';
}

/** Go's reflect type string (`%T`, error messages). */
export function goTypeName(value: unknown): string {
  if (value === undefined || value === null) return '<nil>';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float64';
  if (value instanceof GoFloat) return 'float64';
  if (value instanceof GoInt) return value.type.name;
  if (value instanceof GoList) return value.goType;
  if (Array.isArray(value)) return '[]interface {}';
  const struct = structTypeOf(value);
  if (struct) return (struct.pointer ? '*' : '') + struct.name;
  const named = (value as { goTypeName?: string }).goTypeName;
  if (typeof named === 'string') return named;
  return 'map[string]interface {}';
}

/** A number's value whether it is a plain JS number, a GoFloat or a GoInt. */
export function numberValue(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof GoFloat || value instanceof GoInt) return value.value;
  return undefined;
}

/** Go's truth: false, 0, "", nil, empty slices and maps are false; structs are true. */
export function goTruth(value: unknown): boolean {
  switch (goKind(value)) {
    case 'invalid':
    case 'nil':
      return false;
    case 'bool':
      return value as boolean;
    case 'string':
      return (value as string).length > 0;
    case 'int':
    case 'uint':
    case 'float':
      return numberValue(value) !== 0;
    case 'slice':
      return (value as unknown[]).length > 0;
    case 'map':
      return Object.keys(value as object).length > 0;
    default:
      return true;
  }
}
