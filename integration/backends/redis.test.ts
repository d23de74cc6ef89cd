/** The redis backend against a real redis-server 7 on loopback. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisDatabase } from '../../builtin/databases/redis/index.js';
import { CANONICAL_DATA } from '../../test/fixture/prepare.js';
import { haveRedis, RedisServer } from '../servers/redis.js';
import { expectFixtureRenders, internalPluginExecutable, watchOneKey } from './fixture-render.js';
import { expectGoFixtureRenders } from './fixture-render-go.js';

const available = haveRedis();

async function load(server: RedisServer, db = 0): Promise<Redis> {
  const client = new Redis({ port: server.port, host: '127.0.0.1', db });
  for (const [key, value] of Object.entries(CANONICAL_DATA)) if (!key.startsWith('/prefix/database')) await client.set(key, value);
  // As confd's redis test: the prefix database is a hash.
  await client.hset('/prefix/database', { host: '127.0.0.1', password: 'p@sSw0rd', port: '3306', username: 'confd' });
  return client;
}

describe.runIf(available)('redis backend', () => {
  let server: RedisServer;
  let client: Redis;
  beforeAll(async () => {
    server = await RedisServer.start({ notifications: true });
    client = await load(server);
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  it('renders the fixture byte-identical, with and without a /db suffix', async () => {
    await expectFixtureRenders(['--backend', 'redis', '--node', server.address]);
    await expectFixtureRenders(['--backend', 'redis', '--node', `${server.address}/0`]);
  });

  it('runs through internal-plugin with the same result', async () => {
    await expectFixtureRenders(['--backend', internalPluginExecutable('redis'), '--node', server.address]);
  });

  it('renders confd\'s Go templates byte-identical, in-process and through internal-plugin', async () => {
    await expectGoFixtureRenders(['--backend', 'redis', '--node', server.address]);
    await expectGoFixtureRenders(['--backend', internalPluginExecutable('redis'), '--node', server.address]);
  });

  it('reads hashes as key/field, selects the db, and matches by segment', async () => {
    const db1 = new Redis({ port: server.port, host: '127.0.0.1', db: 1 });
    await db1.set('/only/in/db1', 'yes');
    await client.set('/application/x', 'no');
    const database = new RedisDatabase();
    await database.configure({ machines: `${server.address}/1` });
    expect(await database.getValues(['/only'])).toEqual({ '/only/in/db1': 'yes' });
    await database.close();
    const db0 = new RedisDatabase();
    await db0.configure({ machines: server.address });
    expect(await db0.getValues(['/prefix/database'])).toEqual({
      '/prefix/database/host': '127.0.0.1', '/prefix/database/password': 'p@sSw0rd', '/prefix/database/port': '3306', '/prefix/database/username': 'confd',
    });
    expect(Object.keys(await db0.getValues(['/app']))).toEqual([]);
    await db0.close();
    db1.disconnect();
  });

  it('honours --separator', async () => {
    await client.set('sep_app_port', '8080');
    const database = new RedisDatabase();
    await database.configure({ machines: server.address, separator: '_' });
    expect(await database.getValues(['/sep/app'])).toEqual({ '/sep/app/port': '8080' });
    await database.close();
  });

  it('watches through keyspace notifications: the daemon renders a change', async () => {
    await client.set('/watched/key', 'one');
    // --interval 600: a render within seconds can only come from the watch.
    const w = watchOneKey('/watched/key', ['--backend', 'redis', '--node', server.address, '--interval', '600']);
    try {
      await w.untilValue('one', 15_000, 'first render');
      await new Promise((r) => setTimeout(r, 500));
      await client.set('/watched/key', 'two');
      await w.untilValue('two', 10_000, 'the change');
    } finally {
      await w.stop();
    }
  });
});

describe.runIf(available)('redis backend without keyspace notifications', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start({ notifications: false });
  });
  afterAll(() => server?.stop());

  it('says so once and falls back to polling', async () => {
    const client = new Redis({ port: server.port, host: '127.0.0.1' });
    await client.set('/polled/key', 'one');
    const w = watchOneKey('/polled/key', ['--backend', 'redis', '--node', server.address, '--interval', '1']);
    try {
      await w.untilValue('one', 15_000, 'first render');
      await client.set('/polled/key', 'two');
      await w.untilValue('two', 10_000, 'the polled change');
      expect(w.daemon.count(/notify-keyspace-events is off/)).toBe(1);
    } finally {
      await w.stop();
      client.disconnect();
    }
  });
});
