/** String helpers with Go's semantics: base, dir, split, join, toUpper, toLower, contains, replace, trimSuffix, trimPrefix. */
import { GoList } from '../go-format.js';
import { expectArity, expectInt, expectString, type HelperFn } from './define.js';
import { goBase, goDir } from './go-path.js';

/** Go strings.Replace: n < 0 replaces all; an empty `old` matches at every rune boundary. */
export function goReplace(s: string, old: string, replacement: string, n: number): string {
  if (n === 0 || old === replacement) return s;
  if (old === '') {
    const runes = Array.from(s);
    const limit = n < 0 ? runes.length + 1 : Math.min(n, runes.length + 1);
    let out = '';
    for (let i = 0; i < runes.length; i++) out += (i < limit ? replacement : '') + runes[i];
    return out + (runes.length < limit ? replacement : '');
  }
  let out = '';
  let rest = s;
  let count = 0;
  while (n < 0 || count < n) {
    const at = rest.indexOf(old);
    if (at < 0) break;
    out += rest.slice(0, at) + replacement;
    rest = rest.slice(at + old.length);
    count++;
  }
  return out + rest;
}

function toStringList(value: unknown): string[] {
  if (!Array.isArray(value)) throw new Error(`wrong type for value; expected []string; got ${typeof value}`);
  return value.map((item) => {
    if (typeof item !== 'string') throw new Error('wrong type for value; expected []string; got []interface {}');
    return item;
  });
}

export const stringHelpers: Record<string, HelperFn> = {
  base: (args) => (expectArity(args, 1), goBase(expectString(args[0]))),
  dir: (args) => (expectArity(args, 1), goDir(expectString(args[0]))),
  split: (args) => {
    expectArity(args, 2);
    const s = expectString(args[0]);
    const sep = expectString(args[1]);
    return GoList.fromItems(sep === '' ? Array.from(s) : s.split(sep));
  },
  join: (args) => (expectArity(args, 2), toStringList(args[0]).join(expectString(args[1]))),
  toUpper: (args) => (expectArity(args, 1), expectString(args[0]).toUpperCase()),
  toLower: (args) => (expectArity(args, 1), expectString(args[0]).toLowerCase()),
  contains: (args) => (expectArity(args, 2), expectString(args[0]).includes(expectString(args[1]))),
  replace: (args) => (expectArity(args, 4), goReplace(expectString(args[0]), expectString(args[1]), expectString(args[2]), expectInt(args[3]))),
  trimSuffix: (args) => {
    expectArity(args, 2);
    const s = expectString(args[0]);
    const suffix = expectString(args[1]);
    return suffix !== '' && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s;
  },
  trimPrefix: (args) => {
    expectArity(args, 2);
    const s = expectString(args[0]);
    const prefix = expectString(args[1]);
    return s.startsWith(prefix) ? s.slice(prefix.length) : s;
  },
};
