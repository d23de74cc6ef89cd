import { describe, expect, it } from 'vitest';
import { EnvDatabase, envNameToKey, keyToEnvName } from '../../builtin/databases/env/index.js';
import { WatchUnsupportedError } from '../../src/database/database.js';

describe('env backend', () => {
  const db = new EnvDatabase({
    DATABASE_HOST: 'h', DATABASE_HOSTNAME: 'hn', KAFKA_BROKER__ID: '7', APP: 'a', APPLICATION_X: 'no', lower_case: 'no', Mixed_Case: 'no',
  });
  it('maps /a/b to A_B and __ to a literal underscore', () => {
    expect(keyToEnvName('/kafka/broker_id')).toBe('KAFKA_BROKER__ID');
    expect(envNameToKey('KAFKA_BROKER__ID')).toBe('/kafka/broker_id');
    expect(envNameToKey('DATABASE_HOST')).toBe('/database/host');
  });
  it('returns keys under the prefix by whole segment', async () => {
    expect(await db.getValues(['/database/host'])).toEqual({ '/database/host': 'h' });
    expect(await db.getValues(['/database'])).toEqual({ '/database/host': 'h', '/database/hostname': 'hn' });
    expect(await db.getValues(['/app'])).toEqual({ '/app': 'a' });
    expect(await db.getValues(['/kafka/broker_id'])).toEqual({ '/kafka/broker_id': '7' });
  });
  it('ignores lower- and mixed-case variables', async () => {
    const all = await db.getValues(['/']);
    expect(Object.keys(all)).not.toContain('/lower/case');
    expect(Object.keys(all)).not.toContain('/mixed/case');
  });
  it('cannot watch, so the daemon polls', async () => {
    const iterator = db.watchPrefix('/', [], new AbortController().signal)[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toBeInstanceOf(WatchUnsupportedError);
  });
});
