/** Choosing and opening backends: one place for render, watch and `confd plugins`. */
export { backendIdentity, backendLabel, backendSpec, backendSpecs, type BackendSpec } from './spec.js';
export { PrefixedDatabase, withPrefix } from './prefixed.js';
export { builtinBackend, resolveBackend, type ResolvedBackend } from './resolve.js';
export { openBackends, openDatabase, type OpenedBackends, type OpenedDatabase } from './open.js';
export { BackendTimeoutError, isDeadlineError } from './deadline.js';
