/**
 * SRV discovery of backend nodes (confd's -srv-domain / -srv-record) against a real DNS
 * server on loopback (dnsmasq) and real etcd, redis and zookeeper servers: confd finds
 * each server only through DNS.
 */
import { Etcd3 } from 'etcd3';
import { Redis } from 'ioredis';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneResourceConfdir } from '../test/helpers/one-resource.js';
import { runConfd } from '../test/helpers/run-confd.js';
import { DnsServer, haveDnsmasq } from './servers/dnsmasq.js';
import { EtcdCluster, haveEtcd } from './servers/etcd.js';
import { haveRedis, RedisServer } from './servers/redis.js';
import { freePort } from './servers/server-process.js';
import { connectZookeeper, haveZookeeper, putZookeeper, ZookeeperServer } from './servers/zookeeper.js';

const available = haveDnsmasq() && haveEtcd() && haveRedis() && haveZookeeper();

function confdir(): { dir: string; dest: string } {
  const { confdir: dir, dest } = oneResourceConfdir('value={{getv "/srv/value"}}\n', ['/srv'], 'srv');
  return { dir, dest };
}

describe.runIf(available)('SRV discovery of backend nodes', () => {
  let etcd: EtcdCluster;
  let redis: RedisServer;
  let zookeeper: ZookeeperServer;
  let dns: DnsServer;
  let deadPort: number;

  beforeAll(async () => {
    [etcd, redis, zookeeper, deadPort] = await Promise.all([EtcdCluster.start(1), RedisServer.start({ notifications: false }), ZookeeperServer.start(), freePort()]);
    const etcdPort = Number(new URL(etcd.endpoints[0]).port);
    dns = await DnsServer.start([
      { name: '_etcd._tcp.example.test', target: '127.0.0.1', port: etcdPort },
      { name: '_etcd-client._tcp.example.test', target: '127.0.0.1', port: etcdPort },
      { name: '_redis._tcp.example.test', target: '127.0.0.1', port: redis.port },
      { name: '_zookeeper._tcp.example.test', target: '127.0.0.1', port: zookeeper.port },
      // Two targets: the live one has the lower priority number, so it comes first.
      { name: '_etcd._tcp.two.example.test', target: '127.0.0.1', port: deadPort, priority: 10 },
      { name: '_etcd._tcp.two.example.test', target: '127.0.0.1', port: etcdPort, priority: 0 },
    ]);

    const etcdClient = new Etcd3({ hosts: etcd.endpoints });
    await etcdClient.put('/srv/value').value('from-etcd');
    etcdClient.close();
    const redisClient = new Redis({ port: redis.port, host: '127.0.0.1' });
    await redisClient.set('/srv/value', 'from-redis');
    redisClient.disconnect();
    const zkClient = await connectZookeeper(zookeeper.address);
    await putZookeeper(zkClient, '/srv/value', 'from-zookeeper');
    zkClient.close();
  }, 240_000);
  afterAll(async () => {
    await Promise.all([dns?.stop(), etcd?.stop(), redis?.stop(), zookeeper?.stop()]);
  });

  for (const [backend, value] of [['etcd', 'from-etcd'], ['redis', 'from-redis'], ['zookeeper', 'from-zookeeper']] as const) {
    it(`${backend}: --srv-domain finds the server through _${backend}._tcp.<domain>`, async () => {
      const { dir, dest } = confdir();
      const run = await runConfd(['render', '--backend', backend, '--confdir', dir, '--srv-domain', 'example.test', '--dns-server', dns.address]);
      expect(run.code, run.stderr).toBe(0);
      expect(readFileSync(dest, 'utf8')).toBe(`value=${value}\n`);
      expect(run.stderr).toContain(`SRV record _${backend}._tcp.example.test.: backend nodes `);
    });
  }

  it('etcd nodes are URLs with --scheme in front, as confd builds them; the node from --node is replaced', async () => {
    const { dir, dest } = confdir();
    const run = await runConfd(['-onetime', '-backend', 'etcd', '-confdir', dir, '-node', `http://127.0.0.1:${deadPort}`, '-srv-record', '_etcd-client._tcp.example.test', '-scheme', 'http', '-dns-server', dns.address]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`SRV record _etcd-client._tcp.example.test: backend nodes ${etcd.endpoints[0]}`);
    expect(readFileSync(dest, 'utf8')).toBe('value=from-etcd\n');
  });

  it('several targets: lowest priority first, and the backend uses them all', async () => {
    const { dir, dest } = confdir();
    const run = await runConfd(['render', '--backend', 'etcd', '--confdir', dir, '--srv-domain', 'two.example.test', '--dns-server', dns.address]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`backend nodes ${etcd.endpoints[0]}, http://127.0.0.1:${deadPort}`);
    expect(readFileSync(dest, 'utf8')).toBe('value=from-etcd\n');
  });

  it('a record that does not exist: exit 1 naming the record, nothing written, no fall-back to a default node', async () => {
    const { dir, dest } = confdir();
    const run = await runConfd(['render', '--backend', 'redis', '--confdir', dir, '--srv-domain', 'missing.test', '--dns-server', dns.address]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot get nodes from SRV record _redis\._tcp\.missing\.test\.: querySrv ENOTFOUND/);
    expect(existsSync(dest)).toBe(false);
  });

  it('the env backend reads no nodes: SRV settings are ignored, as in confd', async () => {
    const { dir, dest } = confdir();
    const run = await runConfd(['render', '--backend', 'env', '--confdir', dir, '--srv-domain', 'missing.test', '--dns-server', dns.address], { env: { SRV_VALUE: 'from-env' } });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(dest, 'utf8')).toBe('value=from-env\n');
  });
});
