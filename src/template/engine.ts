/**
 * The template engine the render pass holds: it reads a template file once, compiles it
 * with the resource's language (Handlebars or Go) and caches it until clearCache()
 * (SIGHUP). The pass never asks which language it is; the resource names it.
 */
import { readFileSync } from 'node:fs';
import { ConfdError } from '../errors.js';
import { resolvePending, type RenderState } from './functions/index.js';
import { goLanguage } from './go/engine.js';
import { HandlebarsLanguage } from './handlebars/engine.js';
import type { CompiledTemplate, TemplateEngineName, TemplateLanguage } from './language.js';
import type { KeyStore } from './store.js';

/** DNS answers can change the output; a template is re-rendered at most this often. */
const MAX_DNS_ROUNDS = 4;

export interface TemplateEngineOptions {
  /** Environment `getenv` reads (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

export class TemplateEngine {
  private readonly languages: Record<TemplateEngineName, TemplateLanguage> = { handlebars: new HandlebarsLanguage(), go: goLanguage };
  private readonly cache = new Map<string, CompiledTemplate>();
  private readonly env: NodeJS.ProcessEnv;

  constructor(options: TemplateEngineOptions = {}) {
    this.env = options.env ?? process.env;
  }

  /** Parses and compiles `templatePath` (once); throws ConfdError with file and line on a syntax error. */
  compile(templatePath: string, engine: TemplateEngineName = 'handlebars'): void {
    this.compiled(templatePath, engine);
  }

  /** Forgets compiled templates, so edited files are read again. */
  clearCache(): void {
    this.cache.clear();
  }

  async render(templatePath: string, store: KeyStore, engine: TemplateEngineName = 'handlebars'): Promise<string> {
    const template = this.compiled(templatePath, engine);
    const state: RenderState = { store, env: this.env, dns: { answers: new Map(), pending: new Set() } };
    for (let round = 0; ; round++) {
      let output: string;
      try {
        output = template.render(state);
      } catch (error) {
        // A lookup answered empty for now can fail the template (`index (lookupIP …) 0`):
        // resolve what it asked for and render again before reporting the error.
        if (state.dns.pending.size === 0 || round >= MAX_DNS_ROUNDS) throw error;
        await resolvePending(state.dns);
        continue;
      }
      if (state.dns.pending.size === 0 || round >= MAX_DNS_ROUNDS) return output;
      await resolvePending(state.dns);
    }
  }

  private compiled(templatePath: string, engine: TemplateEngineName): CompiledTemplate {
    const id = `${engine}\0${templatePath}`;
    let template = this.cache.get(id);
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
    template = this.languages[engine].compile(text, templatePath);
    this.cache.set(id, template);
    return template;
  }
}
