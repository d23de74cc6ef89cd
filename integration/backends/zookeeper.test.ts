/** The zookeeper backend against a real ZooKeeper 3.8 on loopback. */
import { createHash } from 'node:crypto';
import zookeeper, { type Client } from 'node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZookeeperDatabase } from '../../builtin/databases/zookeeper/index.js';
import { CANONICAL_DATA } from '../../test/fixture/prepare.js';
import { TcpProxy } from '../servers/tcp-proxy.js';
import { connectZookeeper as connect, haveZookeeper, putZookeeper as put, ZookeeperServer } from '../servers/zookeeper.js';
import { waitFor } from '../watch/daemon.js';
import { expectFixtureRenders, internalPluginExecutable, watchOneKey } from './fixture-render.js';
import { expectGoFixtureRenders } from './fixture-render-go.js';

const available = haveZookeeper();

describe.runIf(available)('zookeeper backend', () => {
  let server: ZookeeperServer;
  let client: Client;
  beforeAll(async () => {
    server = await ZookeeperServer.start();
    client = await connect(server.address);
    for (const [key, value] of Object.entries(CANONICAL_DATA)) await put(client, key, value);
    await put(client, '/app/x', '1');
    await put(client, '/application/y', '2');
  }, 240_000);
  afterAll(async () => {
    client?.close();
    await server?.stop();
  });

  it('renders the fixture byte-identical', async () => {
    await expectFixtureRenders(['--backend', 'zookeeper', '--node', server.address]);
  });

  it('runs through internal-plugin with the same result', async () => {
    await expectFixtureRenders(['--backend', internalPluginExecutable('zookeeper'), '--node', server.address]);
  });

  it('renders confd\'s Go templates byte-identical, in-process and through internal-plugin', async () => {
    await expectGoFixtureRenders(['--backend', 'zookeeper', '--node', server.address]);
    await expectGoFixtureRenders(['--backend', internalPluginExecutable('zookeeper'), '--node', server.address]);
  });

  it('reads recursively, matches by segment, and reads a missing prefix as empty', async () => {
    const database = new ZookeeperDatabase();
    await database.configure({ machines: server.address });
    expect(await database.getValues(['/app'])).toEqual({ '/app/x': '1' });
    expect(await database.getValues(['/nested'])).toEqual({ '/nested/east/app1': '10.0.1.10:8080', '/nested/west/app2': '10.0.1.11:8080' });
    expect(await database.getValues(['/does/not/exist'])).toEqual({});
    await database.close();
  });

  it('the daemon renders a watched change, then the final value of 100 rapid changes', async () => {
    await put(client, '/zk/key', 'one');
    const w = watchOneKey('/zk/key', ['--backend', 'zookeeper', '--node', server.address, '--interval', '600']);
    try {
      await w.untilValue('one', 20_000, 'first render');
      await new Promise((r) => setTimeout(r, 500));
      await put(client, '/zk/key', 'two');
      await w.untilValue('two', 10_000, 'the change');
      for (let i = 1; i <= 100; i++) await put(client, '/zk/key', `rapid-${i}`);
      await w.untilValue('rapid-100', 15_000, 'the final value');
    } finally {
      await w.stop();
    }
  });
});

/** base64(sha1("user:password")): the id ZooKeeper's digest scheme stores in ACLs. */
function digestId(user: string, password: string): string {
  return `${user}:${createHash('sha1').update(`${user}:${password}`).digest('base64')}`;
}

describe.runIf(available)('zookeeper backend with digest auth, ACL-protected znodes and a provoked session expiry', () => {
  let server: ZookeeperServer;
  let admin: Client;
  // admin may do anything; confd may only read. Nobody else may even list the nodes.
  const acl = () => [
    new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('digest', digestId('admin', 'admin-pw'))),
    new zookeeper.ACL(zookeeper.Permission.READ, new zookeeper.Id('digest', digestId('confd', 'confd-pw'))),
  ];
  const securePut = (path: string, value: string) =>
    new Promise<void>((resolve, reject) => {
      admin.mkdirp(path, Buffer.from(''), acl(), zookeeper.CreateMode.PERSISTENT, (error) => {
        if (error) return reject(error);
        admin.setData(path, Buffer.from(value), (e) => (e ? reject(e) : resolve()));
      });
    });
  const credentials = ['--username', 'confd', '--password', 'confd-pw'];

  beforeAll(async () => {
    // Sessions may last at most 4 s here, so the expiry test need not wait long.
    server = await ZookeeperServer.start({ maxSessionTimeoutMs: 4000, fourLetterWords: ['dump'] });
    admin = await connect(server.address);
    admin.addAuthInfo('digest', Buffer.from('admin:admin-pw'));
    for (const [key, value] of Object.entries(CANONICAL_DATA)) await securePut(key, value);
  }, 240_000);
  afterAll(async () => {
    admin?.close();
    await server?.stop();
  });

  it('reads protected znodes only with the right digest credentials', async () => {
    const anonymous = new ZookeeperDatabase();
    await anonymous.configure({ machines: server.address });
    await expect(anonymous.getValues(['/database'])).rejects.toThrow('zookeeper: not authorised to read /database (NO_AUTH): its ACL restricts reading: set --username and --password (digest auth)');
    await anonymous.close();
    const wrong = new ZookeeperDatabase();
    await wrong.configure({ machines: server.address, username: 'confd', password: 'nope' });
    await expect(wrong.getValues(['/database'])).rejects.toThrow('not authorised to read /database (NO_AUTH): user "confd" has no READ permission on it (or the password is wrong)');
    await wrong.close();
    const confd = new ZookeeperDatabase();
    await confd.configure({ machines: server.address, username: 'confd', password: 'confd-pw' });
    expect(await confd.getValues(['/database/host'])).toEqual({ '/database/host': CANONICAL_DATA['/database/host'] });
    await confd.close();
  });

  it('renders the fixture with --username and --password, in-process and through internal-plugin', async () => {
    await expectFixtureRenders(['--backend', 'zookeeper', '--node', server.address, ...credentials]);
    await expectFixtureRenders(['--backend', internalPluginExecutable('zookeeper'), '--node', server.address, ...credentials]);
  });

  it('an expired session is replaced (with its auth) and the final state is rendered', async () => {
    await securePut('/expiry/key', 'v1');
    const proxy = await TcpProxy.start(server.port);
    const before = new Set(await server.sessionIds());
    const w = watchOneKey('/expiry/key', ['--backend', 'zookeeper', '--node', proxy.address, ...credentials, '--interval', '600']);
    try {
      await w.untilValue('v1', 20_000, 'first render');
      const daemonSessions = (await server.sessionIds()).filter((id) => !before.has(id));
      expect(daemonSessions.length).toBeGreaterThan(0);
      // Partition the daemon from the server past the session timeout; change the data meanwhile.
      proxy.cut();
      for (let i = 2; i <= 5; i++) await securePut('/expiry/key', `v${i}`);
      await waitFor(async () => !(await server.sessionIds()).some((id) => daemonSessions.includes(id)), 30_000, 'the server to expire the daemon\'s session');
      proxy.restore();
      await w.untilValue('v5', 30_000, 'the final value, read in a new session');
      expect((await server.sessionIds()).filter((id) => !before.has(id) && !daemonSessions.includes(id)).length).toBeGreaterThan(0);
      // The new session is authenticated and watching: a later change arrives too.
      await securePut('/expiry/key', 'v6');
      await w.untilValue('v6', 15_000, 'a change after the new session');
    } finally {
      await w.stop();
      await proxy.stop();
    }
  });
});
