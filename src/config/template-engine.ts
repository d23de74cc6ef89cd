/**
 * The template languages a resource can choose (`template_engine`, `engine`). Named here,
 * below both config and the template layer, so settings can be validated without
 * loading either engine.
 */
export const TEMPLATE_ENGINE_NAMES = ['handlebars', 'go'] as const;
export type TemplateEngineName = (typeof TEMPLATE_ENGINE_NAMES)[number];

export function isTemplateEngineName(value: unknown): value is TemplateEngineName {
  return typeof value === 'string' && (TEMPLATE_ENGINE_NAMES as readonly string[]).includes(value);
}
