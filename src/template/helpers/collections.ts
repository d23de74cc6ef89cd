/** map, reverse, sortByLength, sortKVByLength, and Go's len and index. */
import { GoList, GoMap, KVPair } from '../go-format.js';
import { expectArity, expectInt, type HelperFn } from './define.js';

function asList(value: unknown, helper: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${helper}: expected a list, got ${value === null || value === undefined ? '<nil>' : typeof value}`);
  return value;
}

export const collectionHelpers: Record<string, HelperFn> = {
  map: (args) => {
    if (args.length % 2 !== 0) throw new Error('invalid map call');
    const map = new GoMap() as unknown as Record<string, unknown>;
    for (let i = 0; i < args.length; i += 2) {
      if (typeof args[i] !== 'string') throw new Error('map keys must be strings');
      map[args[i] as string] = args[i + 1];
    }
    return map;
  },
  // confd reversed in place; we return a reversed copy so the caller's list is untouched.
  reverse: (args) => {
    expectArity(args, 1);
    return Array.isArray(args[0]) ? GoList.fromItems([...args[0]].reverse()) : args[0];
  },
  sortByLength: (args) => {
    expectArity(args, 1);
    const list = asList(args[0], 'sortByLength');
    return GoList.fromItems([...list].sort((a, b) => String(a).length - String(b).length));
  },
  sortKVByLength: (args) => {
    expectArity(args, 1);
    const list = asList(args[0], 'sortKVByLength');
    for (const item of list) if (!(item instanceof KVPair)) throw new Error('sortKVByLength: expected a list of key/value pairs (from gets)');
    return GoList.fromItems([...(list as KVPair[])].sort((a, b) => a.Key.length - b.Key.length));
  },
  len: (args) => {
    expectArity(args, 1);
    const v = args[0];
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    if (v !== null && typeof v === 'object') return Object.keys(v).length;
    throw new Error(`len of type ${v === null || v === undefined ? '<nil>' : typeof v}`);
  },
  index: (args) => {
    if (args.length < 1) throw new Error('wrong number of args: want at least 1, got 0');
    let current: unknown = args[0];
    for (const key of args.slice(1)) {
      if (Array.isArray(current)) {
        const i = expectInt(key);
        if (i < 0 || i >= current.length) throw new Error(`index out of range: ${i}`);
        current = current[i];
      } else if (current !== null && typeof current === 'object') {
        const k = String(key);
        current = Object.hasOwn(current, k) ? (current as Record<string, unknown>)[k] : undefined;
      } else {
        throw new Error(`can't index item of type ${current === null || current === undefined ? '<nil>' : typeof current}`);
      }
    }
    return current;
  },
};
