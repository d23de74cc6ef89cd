/** getenv, fileExists and datetime: the helpers that read the host. */
import { statSync } from 'node:fs';
import { expectArity, expectString, type HelperFn } from './define.js';
import { formatGoLayout, now } from './go-time.js';

export const systemHelpers: Record<string, HelperFn> = {
  getenv: (args, { env }) => {
    expectArity(args, 1, Infinity);
    const value = env[expectString(args[0], 'variable name')];
    // confd: the default applies when the variable is unset *or* empty.
    if ((value === undefined || value === '') && args.length > 1) return expectString(args[1], 'default');
    return value ?? '';
  },
  fileExists: (args) => {
    expectArity(args, 1);
    try {
      statSync(expectString(args[0], 'path'));
      return true;
    } catch (error) {
      // As in confd: only "does not exist" is false; e.g. a permission error is true.
      return (error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ENOTDIR';
    }
  },
  datetime: (args) => {
    expectArity(args, 0, 1);
    const time = now();
    return args.length === 1 ? formatGoLayout(time.date, expectString(args[0], 'layout'), time.nanos) : time;
  },
};
