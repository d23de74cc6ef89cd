/** The Go text/template language: confd's function map and Go's builtins over the Go parser and executor. */
import { basename } from 'node:path';
import { ConfdError } from '../../errors.js';
import { BUILTIN_FUNCTIONS, CONFD_FUNCTIONS } from '../functions/index.js';
import type { CompiledTemplate, TemplateLanguage } from '../language.js';
import { execute, GoExecError } from './exec.js';
import { GoParseError, parseTemplate, type FunctionEntry } from './parser.js';

/** Builtins first, then confd's map, which wins on a clash (as template.Funcs does). */
const GO_FUNCTIONS: ReadonlyMap<string, FunctionEntry> = new Map([
  ...Object.entries(BUILTIN_FUNCTIONS).map(([name, fn]): [string, FunctionEntry] => [name, { fn, builtin: true }]),
  ...Object.entries(CONFD_FUNCTIONS).map(([name, fn]): [string, FunctionEntry] => [name, { fn, builtin: false }]),
]);

export const goLanguage: TemplateLanguage = {
  compile(text: string, templatePath: string): CompiledTemplate {
    // As confd does: template.New(filepath.Base(src)).ParseFiles(src).
    const name = basename(templatePath);
    let trees;
    try {
      trees = parseTemplate(name, text, GO_FUNCTIONS);
    } catch (error) {
      if (error instanceof GoParseError) throw new ConfdError(error.message, { template: templatePath, line: error.line }, { cause: error });
      throw error;
    }
    const set = { trees, parseName: name, text };
    return {
      render(state) {
        try {
          return execute(set, name, state);
        } catch (error) {
          if (error instanceof GoExecError) {
            throw new ConfdError(error.message, { template: templatePath, line: error.line, column: error.column, key: error.key }, { cause: error });
          }
          throw error;
        }
      },
    };
  },
};
