/** getenv, fileExists and datetime: the functions that read the host. */
import { statSync } from 'node:fs';
import { defineFunction, type TemplateFunction } from './define.js';
import { formatGoLayout, now } from './go-time.js';

export const systemFunctions: Record<string, TemplateFunction> = {
  getenv: defineFunction(['string'], ([name, fallback], { env }) => {
    const value = env[name as string];
    // confd: the default applies when the variable is unset *or* empty.
    if (value === undefined || value === '') return (fallback as string | undefined) ?? '';
    return value;
  }, 'string'),
  fileExists: defineFunction(['string'], ([path]) => {
    try {
      statSync(path as string);
      return true;
    } catch (error) {
      // As in confd: only "does not exist" is false; e.g. a permission error is true.
      const code = (error as NodeJS.ErrnoException).code;
      return code !== 'ENOENT' && code !== 'ENOTDIR';
    }
  }),
  // confd's datetime is Go's time.Now; a layout argument (our addition) formats it, for
  // Handlebars, which cannot call `.Format` on the result.
  datetime: defineFunction([], ([layout]) => {
    const time = now();
    return layout === undefined ? time : formatGoLayout(time.date, layout as string, time.nanos);
  }, 'string'),
};
