/** Checks without side effects: the offline config check and the backend preflight. */
export { checkConfig, type ConfigCheck } from './check-config.js';
export { preflight, type BackendPreflight } from './preflight.js';
