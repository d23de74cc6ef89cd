/**
 * confd as a library: the Database interface backends implement, the template engine
 * and key store, and one render pass. The plugin SDK is `confd/plugin`.
 */
export { WatchUnsupportedError, type Database, type DatabaseConfig, type DatabaseFactory, type KeyValues } from './database/database.js';
export { cleanKey, isUnderPrefix, joinKey, pickUnder, stripPrefix } from './database/key-path.js';
export { ConfdError, formatError, type ErrorContext } from './errors.js';
export { TemplateEngine, KeyStore, KVPair, GoList } from './template/index.js';
export { renderPass, renderFromSnapshots, singleBackend, type PassBackend, type PassBackends, type PassOptions, type PassResult, type ResourceOutcome } from './resource/pass.js';
export { fetchSnapshots } from './resource/fetch.js';
export { loadResources, type LoadedResourceFile } from './resource/load.js';
export type { TemplateResource } from './resource/template-resource.js';
export { loadSettings } from './config/load.js';
export type { Settings } from './config/settings.js';
