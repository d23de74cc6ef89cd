/** What each template language (Handlebars, Go) provides to the engine. */
import type { RenderState } from './functions/define.js';

/** The engines a resource can choose (`template_engine`, `engine`). */
export const TEMPLATE_ENGINE_NAMES = ['handlebars', 'go'] as const;
export type TemplateEngineName = (typeof TEMPLATE_ENGINE_NAMES)[number];

export function isTemplateEngineName(value: unknown): value is TemplateEngineName {
  return typeof value === 'string' && (TEMPLATE_ENGINE_NAMES as readonly string[]).includes(value);
}

/** A parsed template, ready to run any number of times. Throws ConfdError on failure. */
export interface CompiledTemplate {
  render(state: RenderState): string;
}

export interface TemplateLanguage {
  /** Parses `text` (read from `templatePath`); throws ConfdError naming the file and line. */
  compile(text: string, templatePath: string): CompiledTemplate;
}
