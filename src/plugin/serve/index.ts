/**
 * The confd plugin SDK. A backend is a Database; `serve` makes it a plugin:
 *
 * ```ts
 * import { serve } from 'confd/plugin';
 * serve({ database: new MyDatabase(), name: 'mydb', version: '1.0.0' });
 * ```
 */
export { serve, type ServeOptions } from './serve.js';
export { WatchUnsupportedError, type Database, type DatabaseConfig, type KeyValues } from '../../database/database.js';
export { cleanKey, isUnderPrefix, joinKey, pickUnder } from '../../database/key-path.js';
