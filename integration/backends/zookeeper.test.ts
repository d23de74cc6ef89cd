/** The zookeeper backend against a real ZooKeeper 3.8 on loopback. */
import zookeeper, { type Client } from 'node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZookeeperDatabase } from '../../builtin/databases/zookeeper/index.js';
import { CANONICAL_DATA } from '../../test/fixture/prepare.js';
import { haveZookeeper, ZookeeperServer } from '../servers/zookeeper.js';
import { expectFixtureRenders, internalPluginExecutable, watchOneKey } from './fixture-render.js';
import { expectGoFixtureRenders } from './fixture-render-go.js';

const available = haveZookeeper();

function connect(address: string): Promise<Client> {
  const client = zookeeper.createClient(address);
  return new Promise((resolve) => {
    client.once('connected', () => resolve(client));
    client.connect();
  });
}

/** Sets a node's data, creating it and its parents (with empty data) as needed. */
function put(client: Client, path: string, value: string): Promise<void> {
  return new Promise((resolve, reject) => {
    client.mkdirp(path, (error) => {
      if (error) return reject(error);
      client.setData(path, Buffer.from(value), (e) => (e ? reject(e) : resolve()));
    });
  });
}

describe.runIf(available)('zookeeper backend', () => {
  let server: ZookeeperServer;
  let client: Client;
  beforeAll(async () => {
    server = await ZookeeperServer.start();
    client = await connect(server.address);
    for (const [key, value] of Object.entries(CANONICAL_DATA)) await put(client, key, value);
    await put(client, '/app/x', '1');
    await put(client, '/application/y', '2');
  }, 120_000);
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
