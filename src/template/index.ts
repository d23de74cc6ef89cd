/** The template layer's public face: the engine, the key store and the values templates see. */
export { TemplateEngine, type TemplateEngineOptions } from './engine.js';
export { isTemplateEngineName, TEMPLATE_ENGINE_NAMES, type TemplateEngineName } from './language.js';
export { KeyStore, KeyNotFoundError } from './store.js';
export { GoList, KVPair } from './functions/values.js';
