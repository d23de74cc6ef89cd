/** confd's memkv functions: get, gets, getv, getvs, exists, ls, lsdir. */
import { GlobSyntaxError } from '../../util/go-glob.js';
import { KeyNotFoundError } from '../store.js';
import { defineFunction, KeyedError, type TemplateFunction } from './define.js';

function withKeyErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof KeyNotFoundError) throw new KeyedError(error.message, error.key);
    if (error instanceof GlobSyntaxError) throw new Error('syntax error in pattern');
    throw error;
  }
}

export const storeFunctions: Record<string, TemplateFunction> = {
  get: defineFunction(['string'], ([key], { store }) => withKeyErrors(() => store.get(key as string))),
  gets: defineFunction(['string'], ([pattern], { store }) => withKeyErrors(() => store.gets(pattern as string))),
  // confd: extra defaults are accepted and ignored; the first one is used.
  getv: defineFunction(['string'], ([key, fallback], { store }) => withKeyErrors(() => store.getv(key as string, fallback as string | undefined)), 'string'),
  getvs: defineFunction(['string'], ([pattern], { store }) => withKeyErrors(() => store.getvs(pattern as string))),
  exists: defineFunction(['string'], ([key], { store }) => store.exists(key as string)),
  ls: defineFunction(['string'], ([path], { store }) => store.ls(path as string)),
  lsdir: defineFunction(['string'], ([path], { store }) => store.lsdir(path as string)),
};
