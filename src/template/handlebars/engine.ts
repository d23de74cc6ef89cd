/**
 * The Handlebars language: an isolated Handlebars environment with every shared function
 * as a helper. Output is not HTML-escaped (these are config files), prototype access
 * stays off, and strict mode is on, so a misspelt field fails with its line and a hint
 * instead of rendering as empty text.
 */
import Handlebars from 'handlebars';
import { ConfdError } from '../../errors.js';
import type { RenderState } from '../functions/define.js';
import { ALL_FUNCTIONS } from '../functions/index.js';
import type { CompiledTemplate, TemplateLanguage } from '../language.js';
import { helperFor, TemplateHelperError } from './helpers.js';
import { GO_ENGINE_HINT, lintHandlebars, looksLikeGoTemplate, missingFieldHint } from './lint.js';

type HandlebarsTemplate = (context: unknown, options: { data: { confd: RenderState } }) => string;

export class HandlebarsLanguage implements TemplateLanguage {
  private readonly handlebars = Handlebars.create();

  constructor() {
    for (const [name, fn] of Object.entries(ALL_FUNCTIONS)) this.handlebars.registerHelper(name, helperFor(name, fn));
  }

  compile(text: string, templatePath: string): CompiledTemplate {
    let template: HandlebarsTemplate;
    try {
      // Parse eagerly: Handlebars.compile alone defers syntax errors to the first render.
      const ast = this.handlebars.parse(text);
      const finding = lintHandlebars(ast, (name) => Object.hasOwn(this.handlebars.helpers, name));
      if (finding) throw new ConfdError(finding.message, { file: templatePath, template: templatePath, line: finding.line, column: finding.column });
      template = this.handlebars.compile(ast, { noEscape: true, strict: true }) as unknown as HandlebarsTemplate;
    } catch (error) {
      throw toTemplateError(error, templatePath, text);
    }
    return {
      render(state) {
        try {
          return template({}, { data: { confd: state } });
        } catch (error) {
          throw toTemplateError(error, templatePath, text);
        }
      },
    };
  }
}

function toTemplateError(error: unknown, templatePath: string, text: string): ConfdError {
  if (error instanceof ConfdError) return error;
  const where = { file: templatePath, template: templatePath };
  if (error instanceof TemplateHelperError) {
    return new ConfdError(error.message, { ...where, line: error.line, column: error.column, key: error.key }, { cause: error });
  }
  const e = error as Error & { lineNumber?: number; column?: number };
  const message = e.message ?? String(error);
  const line = e.lineNumber;
  const column = e.lineNumber !== undefined && e.column !== undefined ? e.column + 1 : undefined;
  // Strict mode: `"value" not defined in <the object>` (never print the object: it may hold secrets).
  const missing = /^"([^"]+)" not defined in /.exec(message);
  if (missing) {
    return new ConfdError(`"${missing[1]}" is not defined here; ${missingFieldHint(missing[1])}`, { ...where, line, column }, { cause: error });
  }
  const parseLine = /Parse error on line (\d+)/.exec(message);
  // Handlebars' parse errors span several lines (an excerpt and a caret); keep them readable on one.
  let oneLine = message.replace(/\s*-\s*\d+:\d+$/, '').split('\n').filter(Boolean).join(' ').replace(/\s+/g, ' ');
  if (parseLine && looksLikeGoTemplate(text)) oneLine += `; this looks like a Go template: ${GO_ENGINE_HINT}`;
  return new ConfdError(oneLine, { ...where, line: line ?? (parseLine ? Number(parseLine[1]) : undefined), column }, { cause: error });
}
