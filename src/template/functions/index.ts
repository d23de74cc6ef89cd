/**
 * Every function a template can call, once, for both engines: confd's function map
 * (with trimPrefix, and a layout argument to datetime, as additions) and Go's builtins.
 */
import { BUILTIN_FUNCTIONS } from './builtins.js';
import { collectionFunctions } from './collections.js';
import type { TemplateFunction } from './define.js';
import { dnsFunctions } from './dns.js';
import { encodingFunctions } from './encoding.js';
import { mathFunctions } from './math.js';
import { storeFunctions } from './store.js';
import { stringFunctions } from './strings.js';
import { systemFunctions } from './system.js';

/** confd's function map (resource/template/template_funcs.go plus memkv's store functions). */
export const CONFD_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  ...storeFunctions,
  ...stringFunctions,
  ...encodingFunctions,
  ...mathFunctions,
  ...collectionFunctions,
  ...systemFunctions,
  ...dnsFunctions,
};

export { BUILTIN_FUNCTIONS };

/** Everything, as one name → function table (confd's map wins over a builtin of the same name, as in Go). */
export const ALL_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = { ...BUILTIN_FUNCTIONS, ...CONFD_FUNCTIONS };

export { resolvePending } from './dns.js';
export type { DnsState, ParamType, RenderState, TemplateFunction } from './define.js';
