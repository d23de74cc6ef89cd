/** String functions with Go's semantics: base, dir, split, join, toUpper, toLower, contains, replace, trimSuffix, trimPrefix. */
import { defineFunction, type TemplateFunction } from './define.js';
import { goBase, goDir } from './go-path.js';
import { GoList } from './values.js';

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

const str = (args: unknown[], i: number) => args[i] as string;

export const stringFunctions: Record<string, TemplateFunction> = {
  base: defineFunction(['string'], (a) => goBase(str(a, 0))),
  dir: defineFunction(['string'], (a) => goDir(str(a, 0))),
  split: defineFunction(['string', 'string'], (a) => GoList.fromItems(str(a, 1) === '' ? Array.from(str(a, 0)) : str(a, 0).split(str(a, 1)), '[]string')),
  join: defineFunction(['[]string', 'string'], (a) => (a[0] as string[]).join(str(a, 1))),
  toUpper: defineFunction(['string'], (a) => str(a, 0).toUpperCase()),
  toLower: defineFunction(['string'], (a) => str(a, 0).toLowerCase()),
  contains: defineFunction(['string', 'string'], (a) => str(a, 0).includes(str(a, 1))),
  replace: defineFunction(['string', 'string', 'string', 'int'], (a) => goReplace(str(a, 0), str(a, 1), str(a, 2), a[3] as number)),
  trimSuffix: defineFunction(['string', 'string'], (a) => (str(a, 1) !== '' && str(a, 0).endsWith(str(a, 1)) ? str(a, 0).slice(0, -str(a, 1).length) : str(a, 0))),
  trimPrefix: defineFunction(['string', 'string'], (a) => (str(a, 0).startsWith(str(a, 1)) ? str(a, 0).slice(str(a, 1).length) : str(a, 0))),
};
