/**
 * The template engine: an isolated Handlebars environment with every confd helper.
 * Output is not HTML-escaped (these are config files), prototype access stays off,
 * each template is parsed and compiled once and cached until clearCache() (SIGHUP).
 */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { ConfdError } from '../errors.js';
import { defineHelper, TemplateHelperError, type RenderState } from './helpers/define.js';
import { resolvePending } from './helpers/dns.js';
import { ALL_HELPERS } from './helpers/index.js';
import type { KeyStore } from './store.js';

type CompiledTemplate = (context: unknown, options: { data: { confd: RenderState } }) => string;

/** DNS answers can change the output; a template is re-rendered at most this often. */
const MAX_DNS_ROUNDS = 4;

export interface TemplateEngineOptions {
  /** Environment `getenv` reads (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

export class TemplateEngine {
  private readonly handlebars = Handlebars.create();
  private readonly cache = new Map<string, CompiledTemplate>();
  private readonly env: NodeJS.ProcessEnv;

  constructor(options: TemplateEngineOptions = {}) {
    this.env = options.env ?? process.env;
    for (const [name, fn] of Object.entries(ALL_HELPERS)) this.handlebars.registerHelper(name, defineHelper(name, fn));
    this.handlebars.registerHelper('helperMissing', function (this: unknown, ...args: unknown[]) {
      // `{{name}}` with no arguments is a field lookup that found nothing: print nothing.
      if (args.length === 1) return undefined;
      const options = args[args.length - 1] as { name: string; loc?: { start: { line: number; column: number } } };
      throw new TemplateHelperError(`function "${options.name}" not defined`, options.name, options.loc?.start.line, options.loc ? options.loc.start.column + 1 : undefined);
    });
  }

  /** Parses and compiles `templatePath` (once); throws ConfdError with file and line on a syntax error. */
  compile(templatePath: string): void {
    this.compiled(templatePath);
  }

  /** Forgets compiled templates, so edited files are read again. */
  clearCache(): void {
    this.cache.clear();
  }

  async render(templatePath: string, store: KeyStore): Promise<string> {
    const template = this.compiled(templatePath);
    const state: RenderState = { store, env: this.env, dns: { answers: new Map(), pending: new Set() } };
    for (let round = 0; ; round++) {
      let output: string;
      try {
        output = template({}, { data: { confd: state } });
      } catch (error) {
        throw toTemplateError(error, templatePath);
      }
      if (state.dns.pending.size === 0 || round >= MAX_DNS_ROUNDS) return output;
      await resolvePending(state.dns);
    }
  }

  private compiled(templatePath: string): CompiledTemplate {
    let template = this.cache.get(templatePath);
    if (template) return template;
    let text: string;
    try {
      text = readFileSync(templatePath, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ConfdError(code === 'ENOENT' ? `missing template ${templatePath}` : `cannot read template: ${(error as Error).message}`, {
        template: templatePath,
      });
    }
    try {
      // Parse eagerly: Handlebars.compile alone defers syntax errors to the first render.
      const ast = this.handlebars.parse(text);
      template = this.handlebars.compile(ast, { noEscape: true, strict: false }) as unknown as CompiledTemplate;
    } catch (error) {
      throw toTemplateError(error, templatePath);
    }
    this.cache.set(templatePath, template);
    return template;
  }
}

function toTemplateError(error: unknown, templatePath: string): ConfdError {
  if (error instanceof ConfdError) return error;
  if (error instanceof TemplateHelperError) {
    return new ConfdError(error.message, { file: templatePath, template: templatePath, line: error.line, column: error.column, key: error.key }, { cause: error });
  }
  const e = error as Error & { lineNumber?: number; column?: number };
  const message = e.message ?? String(error);
  const parseLine = /Parse error on line (\d+)/.exec(message);
  const line = e.lineNumber ?? (parseLine ? Number(parseLine[1]) : undefined);
  const column = e.lineNumber !== undefined && e.column !== undefined ? e.column + 1 : undefined;
  // Handlebars' parse errors span several lines (an excerpt and a caret); keep them readable on one.
  const oneLine = message.replace(/\s*-\s*\d+:\d+$/, '').split('\n').filter(Boolean).join(' ').replace(/\s+/g, ' ');
  return new ConfdError(oneLine, { file: templatePath, template: templatePath, line, column }, { cause: error });
}
