/** What each template language (Handlebars, Go) provides to the engine. */
import type { RenderState } from './functions/define.js';

export { isTemplateEngineName, TEMPLATE_ENGINE_NAMES, type TemplateEngineName } from '../config/template-engine.js';

/** A parsed template, ready to run any number of times. Throws ConfdError on failure. */
export interface CompiledTemplate {
  render(state: RenderState): string;
}

export interface TemplateLanguage {
  /** Parses `text` (read from `templatePath`); throws ConfdError naming the file and line. */
  compile(text: string, templatePath: string): CompiledTemplate;
}
