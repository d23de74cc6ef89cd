// The smallest useful confd plugin: a backend in 10 lines with the SDK (docs/plugins.md).
import { serve, pickUnder, WatchUnsupportedError, type Database } from '../../../src/plugin/serve/index.js';

const values = { '/greeting/text': 'hello', '/greeting/name': 'world' };
const database: Database = {
  canWatch: false, // static data: confd polls instead of watching
  async configure() {},
  async getValues(prefixes) { return pickUnder(values, prefixes); },
  async *watchPrefix() { throw new WatchUnsupportedError('static'); },
  async close() {},
};
await serve({ database, name: 'static', version: '1.0.0' });
