/** Shared by the standalone plugin entry points: serve one built-in backend over the plugin protocol. */
import type { DatabaseFactory } from '../../src/database/database.js';
import { serve } from '../../src/plugin/serve/index.js';
import { packageVersion } from '../../src/version.js';

/**
 * Starts serving; the process then lives until Shutdown or the host goes away. No
 * top-level await, so that the entry points also bundle as CommonJS (scripts/bundle.mjs).
 */
export function runPlugin(name: string, createDatabase: DatabaseFactory): void {
  serve({ database: createDatabase(), name, version: packageVersion() }).catch((error: unknown) => {
    process.stderr.write(`confd-database-${name}: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  });
}
