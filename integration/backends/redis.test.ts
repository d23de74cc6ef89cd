/** The redis backend against a real redis-server 7 on loopback. */
import { Redis, type RedisOptions } from 'ioredis';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisDatabase } from '../../builtin/databases/redis/index.js';
import { CANONICAL_DATA } from '../../test/fixture/prepare.js';
import { runConfd } from '../../test/helpers/run-confd.js';
import { haveRedis, RedisServer } from '../servers/redis.js';
import { makeCertificates, type TestCertificates } from '../servers/tls.js';
import { workspace } from '../watch/daemon.js';
import { expectFixtureRenders, internalPluginExecutable, watchOneKey } from './fixture-render.js';
import { expectGoFixtureRenders } from './fixture-render-go.js';

const available = haveRedis();

async function load(server: RedisServer, db = 0, connection: RedisOptions = {}): Promise<Redis> {
  const client = new Redis({ port: server.port, host: '127.0.0.1', db, ...connection });
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

describe.runIf(available)('redis backend over TLS with ACL users', () => {
  let certs: TestCertificates;
  let server: RedisServer;
  let admin: Redis;
  const tlsFlags = () => ['--client-ca-keys', certs.ca, '--client-cert', certs.clientCert, '--client-key', certs.clientKey];
  beforeAll(async () => {
    certs = makeCertificates();
    server = await RedisServer.start({
      notifications: true,
      tls: certs,
      users: [
        { name: 'admin', password: 'admin-pw', rules: ['~*', '&*', '+@all'] },
        // What confd needs: read keys, CONFIG GET to check notifications, and keyspace channels.
        { name: 'confd', password: 'confd-pw', rules: ['~*', '&__keyspace@*', '+@read', '+@connection', '+psubscribe', '+punsubscribe', '+config|get'] },
      ],
    });
    admin = await load(server, 0, {
      username: 'admin',
      password: 'admin-pw',
      tls: { ca: readFileSync(certs.ca), cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey) },
    });
  });
  afterAll(async () => {
    admin?.disconnect();
    await server?.stop();
  });

  it('the server speaks only TLS and refuses the default user', async () => {
    expect(server.tls).toBe(true);
    const plain = new RedisDatabase();
    await expect(plain.configure({ machines: server.address, username: 'confd', password: 'confd-pw' })).rejects.toThrow(/cannot connect to redis/);
    const noUser = new RedisDatabase();
    await expect(noUser.configure({ machines: `rediss://${server.address}`, caCert: certs.ca, cert: certs.clientCert, key: certs.clientKey })).rejects.toThrow(/NOAUTH.*set --password, and --username/);
  });

  it('renders the fixture as the ACL user over TLS: rediss:// node, plain node with TLS flags, credentials in the URL', async () => {
    await expectFixtureRenders(['--backend', 'redis', '--node', `rediss://${server.address}/0`, ...tlsFlags(), '--username', 'confd', '--password', 'confd-pw']);
    await expectFixtureRenders(['--backend', 'redis', '--node', server.address, ...tlsFlags(), '--username', 'confd', '--password', 'confd-pw']);
    await expectFixtureRenders(['--backend', 'redis', '--node', `rediss://confd:confd-pw@${server.address}`, ...tlsFlags()]);
  });

  it('runs through internal-plugin with the same result', async () => {
    await expectFixtureRenders(['--backend', internalPluginExecutable('redis'), '--node', `rediss://${server.address}`, ...tlsFlags(), '--username', 'confd', '--password', 'confd-pw']);
  });

  it('a wrong password or a missing client certificate fails clearly and writes nothing', async () => {
    const ws = workspace();
    ws.template('t.tmpl', '{{getv "/database/host"}}');
    ws.resource('t', `[template]\nsrc = "t.tmpl"\ndest = "${ws.out}/t.conf"\nkeys = ["/database"]\n`);
    try {
      const wrong = await runConfd(['render', '--backend', 'redis', '--node', `rediss://${server.address}`, ...tlsFlags(), '--username', 'confd', '--password', 'nope', '--confdir', ws.confdir], { timeoutMs: 60_000 });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain(`cannot connect to redis (rediss://${server.address}: WRONGPASS`);
      expect(wrong.stderr).toContain('user "confd": check --username and --password');
      const noCert = await runConfd(['render', '--backend', 'redis', '--node', `rediss://${server.address}`, '--client-ca-keys', certs.ca, '--username', 'confd', '--password', 'confd-pw', '--confdir', ws.confdir], { timeoutMs: 60_000 });
      expect(noCert.code).toBe(1);
      expect(noCert.stderr).toContain(`cannot connect to redis (rediss://${server.address}: `);
      // The server's alert, or (when the connection closes first) a hint at what to check.
      expect(noCert.stderr).toMatch(/: (tlsv13 alert certificate required|.*\(over TLS: check --client-ca-keys, and --client-cert with --client-key if the server requires client certificates\))\)/);
      expect(ws.read(join(ws.out, 't.conf'))).toBeUndefined();
    } finally {
      ws.cleanup();
    }
  });

  it('watches through keyspace notifications over TLS as the ACL user', async () => {
    await admin.set('/tls/key', 'one');
    const w = watchOneKey('/tls/key', ['--backend', 'redis', '--node', `rediss://confd:confd-pw@${server.address}`, ...tlsFlags(), '--interval', '600']);
    try {
      await w.untilValue('one', 15_000, 'first render');
      await w.daemon.waitForLog(/watching 1 resource/, 10_000);
      await admin.set('/tls/key', 'two');
      await w.untilValue('two', 10_000, 'the change');
      expect(w.daemon.count(/notify-keyspace-events is off/)).toBe(0);
    } finally {
      await w.stop();
    }
  });
});
