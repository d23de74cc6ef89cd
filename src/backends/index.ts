/** Choosing and opening backends: one place for render, watch and `confd plugins`. */
export { backendIdentity, backendSpec, type BackendSpec } from './spec.js';
export { resolveBackend, type ResolvedBackend } from './resolve.js';
export { openDatabase, type OpenedDatabase } from './open.js';
export { BackendTimeoutError, isDeadlineError } from './deadline.js';
