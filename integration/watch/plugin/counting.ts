/**
 * A test plugin for the watch tests, written on the plugin SDK. Values come from a JSON
 * file (`dataFile` in [backend_config]); watchPrefix polls that file every 50 ms and
 * yields only when a value under the watched keys changed (precise, like etcd), so a
 * test can see which group a change wakes. Every call is appended to `callLog`:
 *
 *   configure pid=<pid>
 *   watchPrefix <prefix> <key,key>
 *   getValues <prefix,prefix>
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { serve, pickUnder, type Database, type DatabaseConfig, type KeyValues } from '../../../src/plugin/serve/index.js';

class CountingDatabase implements Database {
  private config: DatabaseConfig = {};

  async configure(config: DatabaseConfig): Promise<void> {
    if (!config.dataFile || !config.callLog) throw new Error('dataFile and callLog are required in [backend_config]');
    this.config = config;
    this.record(`configure pid=${process.pid}`);
  }

  async getValues(prefixes: readonly string[]): Promise<KeyValues> {
    this.record(`getValues ${prefixes.join(',')}`);
    return pickUnder(this.read(), prefixes);
  }

  async *watchPrefix(prefix: string, keys: readonly string[], signal: AbortSignal): AsyncIterable<void> {
    this.record(`watchPrefix ${prefix} ${keys.join(',')}`);
    let last = JSON.stringify(pickUnder(this.read(), keys));
    while (!signal.aborted) {
      await new Promise((r) => setTimeout(r, 50));
      const now = JSON.stringify(pickUnder(this.read(), keys));
      if (now !== last) {
        last = now;
        yield;
      }
    }
  }

  async close(): Promise<void> {}

  private record(line: string): void {
    appendFileSync(this.config.callLog, `${line}\n`);
  }

  private read(): KeyValues {
    try {
      return JSON.parse(readFileSync(this.config.dataFile, 'utf8')) as KeyValues;
    } catch {
      return {}; // mid-write; the next poll sees the whole file
    }
  }
}

await serve({ database: new CountingDatabase(), name: 'counting', version: '1.0.0' });
