/** confd's memkv functions: get, gets, getv, getvs, exists, ls, lsdir. */
import { GlobSyntaxError } from '../../util/go-glob.js';
import { KeyNotFoundError } from '../store.js';
import { expectArity, expectString, KeyedError, type HelperFn } from './define.js';

function withKeyErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof KeyNotFoundError) throw new KeyedError(error.message, error.key);
    if (error instanceof GlobSyntaxError) throw new Error('syntax error in pattern');
    throw error;
  }
}

export const storeHelpers: Record<string, HelperFn> = {
  get: (args, { store }) => (expectArity(args, 1), withKeyErrors(() => store.get(expectString(args[0], 'key')))),
  gets: (args, { store }) => (expectArity(args, 1), withKeyErrors(() => store.gets(expectString(args[0], 'pattern')))),
  getv: (args, { store }) => {
    expectArity(args, 1, Infinity);
    // confd: extra defaults are accepted and ignored; the first one is used.
    const fallback = args.length > 1 ? expectString(args[1], 'default') : undefined;
    return withKeyErrors(() => store.getv(expectString(args[0], 'key'), fallback));
  },
  getvs: (args, { store }) => (expectArity(args, 1), withKeyErrors(() => store.getvs(expectString(args[0], 'pattern')))),
  exists: (args, { store }) => (expectArity(args, 1), store.exists(expectString(args[0], 'key'))),
  ls: (args, { store }) => (expectArity(args, 1), store.ls(expectString(args[0], 'path'))),
  lsdir: (args, { store }) => (expectArity(args, 1), store.lsdir(expectString(args[0], 'path'))),
};
