/**
 * How a template function is declared: its Go signature and one implementation. Each
 * engine converts the arguments to the declared types by its own rules (Go's strict
 * ones with Go's error texts; Handlebars' lenient ones) and then calls `call` with
 * values of exactly those types. The implementation never re-checks them.
 */
import type { KeyStore } from '../store.js';

/** Per-render state a function may read. */
export interface RenderState {
  store: KeyStore;
  env: NodeJS.ProcessEnv;
  dns: DnsState;
}

export interface DnsState {
  /** Resolved answers by query (`ip:localhost`, `srv:_http._tcp.example.com`). */
  answers: Map<string, unknown>;
  /** Queries a function asked for that are not resolved yet; the engine resolves and re-renders. */
  pending: Set<string>;
}

/**
 * A parameter's Go type. `any` is interface{} (constants take their natural type, a
 * missing value becomes nil); `value` is reflect.Value, which Go's builtins take: the
 * argument arrives as is, even when it is "no value" (undefined).
 */
export type ParamType = 'string' | 'int' | 'bool' | 'any' | 'value' | '[]string' | '[]KVPair';

/** Go's spelling of each parameter type, for error messages. */
export const GO_PARAM_TYPE: Readonly<Record<ParamType, string>> = {
  string: 'string',
  int: 'int',
  bool: 'bool',
  any: 'interface {}',
  value: 'reflect.Value',
  '[]string': '[]string',
  '[]KVPair': '[]memkv.KVPair',
};

export interface TemplateFunction {
  /** Fixed parameters. */
  readonly params: readonly ParamType[];
  /** The element type of a final `...T` parameter, when the function is variadic. */
  readonly variadic?: ParamType;
  call(args: unknown[], state: RenderState): unknown;
}

/** Declares a function with fixed parameters and an optional variadic tail. */
export function defineFunction(params: readonly ParamType[], call: TemplateFunction['call'], variadic?: ParamType): TemplateFunction {
  return { params, variadic, call };
}

/** Go's arity check, worded as text/template words it. */
export function arityError(name: string, fn: TemplateFunction, given: number): string | undefined {
  if (fn.variadic !== undefined) {
    return given < fn.params.length ? `wrong number of args for ${name}: want at least ${fn.params.length} got ${given}` : undefined;
  }
  return given !== fn.params.length ? `wrong number of args for ${name}: want ${fn.params.length} got ${given}` : undefined;
}

/** The declared type of argument `index`. */
export function paramType(fn: TemplateFunction, index: number): ParamType {
  return index < fn.params.length ? fn.params[index] : (fn.variadic ?? 'any');
}

/** An error that names the key it is about (`key does not exist: /x`). */
export class KeyedError extends Error {
  constructor(
    message: string,
    readonly key: string,
  ) {
    super(message);
  }
}
