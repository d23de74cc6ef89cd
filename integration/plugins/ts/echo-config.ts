// A test plugin that serves the map its Configure call received as keys
// `/config/<name>`, so a test can render exactly what confd passed to a plugin.
import { serve, pickUnder, WatchUnsupportedError, type Database, type DatabaseConfig } from '../../../src/plugin/serve/index.js';

let config: DatabaseConfig = {};
const database: Database = {
  canWatch: false,
  async configure(received) {
    config = received;
  },
  async getValues(prefixes) {
    return pickUnder(Object.fromEntries(Object.entries(config).map(([name, value]) => [`/config/${name}`, value])), prefixes);
  },
  async *watchPrefix() {
    throw new WatchUnsupportedError('echo-config');
  },
  async close() {},
};
await serve({ database, name: 'echoconfig', version: '1.0.0' });
