/**
 * The etcd backend against real etcd servers (Debian etcd-server 3.4) on loopback:
 * the fixture, 20 000 keys, segment matching, watches, outages, a 3-member cluster.
 */
import { Etcd3 } from 'etcd3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtcdDatabase } from '../../builtin/databases/etcd/index.js';
import { CANONICAL_DATA } from '../../test/fixture/prepare.js';
import { runConfd } from '../../test/helpers/run-confd.js';
import { EtcdCluster, haveEtcd, haveEtcdctl } from '../servers/etcd.js';
import { makeCertificates, type TestCertificates } from '../servers/tls.js';
import { workspace } from '../watch/daemon.js';
import { expectFixtureRenders, internalPluginExecutable, watchOneKey } from './fixture-render.js';
import { expectGoFixtureRenders } from './fixture-render-go.js';

const available = haveEtcd();

async function putAll(endpoints: string[], data: Record<string, string>, auth?: { username: string; password: string }): Promise<void> {
  const client = new Etcd3({ hosts: endpoints, auth });
  try {
    const entries = Object.entries(data);
    for (let i = 0; i < entries.length; i += 100) {
      await Promise.all(entries.slice(i, i + 100).map(([k, v]) => client.put(k).value(v)));
    }
  } finally {
    client.close();
  }
}

describe.runIf(available)('etcd backend (one member)', () => {
  let etcd: EtcdCluster;
  beforeAll(async () => {
    etcd = await EtcdCluster.start(1);
    await putAll(etcd.endpoints, { ...CANONICAL_DATA, '/app/x': '1', '/application/y': '2' });
  });
  afterAll(() => etcd?.stop());

  it('renders the fixture byte-identical (--backend etcd and the etcdv3 alias)', async () => {
    await expectFixtureRenders(['--backend', 'etcd', '--node', etcd.endpoints[0]]);
    await expectFixtureRenders(['--backend', 'etcdv3', '--node', etcd.endpoints[0]]);
  });

  it('runs through internal-plugin with the same result', async () => {
    await expectFixtureRenders(['--backend', internalPluginExecutable('etcd'), '--node', etcd.endpoints[0]]);
  });

  it('renders confd\'s Go templates byte-identical, in-process and through internal-plugin', async () => {
    await expectGoFixtureRenders(['--backend', 'etcd', '--node', etcd.endpoints[0]]);
    await expectGoFixtureRenders(['--backend', internalPluginExecutable('etcd'), '--node', etcd.endpoints[0]]);
  });

  it('matches prefixes by whole segment', async () => {
    const db = new EtcdDatabase();
    await db.configure({ machines: etcd.endpoints[0] });
    expect(await db.getValues(['/app'])).toEqual({ '/app/x': '1' });
    await db.close();
  });

  it('renders 20 000 keys under one prefix', async () => {
    const big: Record<string, string> = {};
    for (let i = 0; i < 20_000; i++) big[`/big/k${String(i).padStart(5, '0')}`] = `v${i}`;
    await putAll(etcd.endpoints, big);
    const ws = workspace();
    ws.template('big.tmpl', '{{len (gets "/big/*")}} {{getv "/big/k00000"}} {{getv "/big/k19999"}}\n{{#each (gets "/big/*")}}{{Value}},{{/each}}');
    ws.resource('big', `[template]\nsrc = "big.tmpl"\ndest = "${ws.out}/big.conf"\nkeys = ["/big"]\n`);
    const run = await runConfd(['render', '--backend', 'etcd', '--node', etcd.endpoints[0], '--confdir', ws.confdir]);
    expect(run.code).toBe(0);
    const out = ws.read(join(ws.out, 'big.conf'))!;
    expect(out.split('\n')[0]).toBe('20000 v0 v19999');
    expect(out.split('\n')[1].split(',').filter(Boolean)).toHaveLength(20_000);
    ws.cleanup();
  });

  it('the watch sees a change, and the daemon renders it', async () => {
    await putAll(etcd.endpoints, { '/watched/key': 'one' });
    const w = watchOneKey('/watched/key', ['--backend', 'etcd', '--node', etcd.endpoints[0], '--log-level', 'debug']);
    try {
      await w.untilValue('one', 15_000, 'first render');
      await putAll(etcd.endpoints, { '/watched/key': 'two' });
      await w.untilValue('two', 15_000, 'the change');
    } finally {
      await w.stop();
    }
  });

  it('SIGKILL etcd, restart it, then change a key: the daemon renders it', async () => {
    await putAll(etcd.endpoints, { '/restart/key': 'before' });
    const w = watchOneKey('/restart/key', ['--backend', 'etcd', '--node', etcd.endpoints[0]]);
    try {
      await w.untilValue('before', 15_000, 'first render');
      await etcd.members[0].process.kill();
      await new Promise((r) => setTimeout(r, 1500));
      await etcd.members[0].process.start();
      await putAll(etcd.endpoints, { '/restart/key': 'after' });
      await w.untilValue('after', 40_000, 'the change after the restart');
    } finally {
      await w.stop();
    }
  });
});

describe.runIf(available)('etcd backend (3-member cluster)', () => {
  let cluster: EtcdCluster;
  beforeAll(async () => {
    cluster = await EtcdCluster.start(3);
  });
  afterAll(() => cluster?.stop());

  it('a change made while the daemon\'s only endpoint is down is rendered after it comes back', async () => {
    const [a, b] = cluster.members;
    await putAll([b.clientUrl], { '/down/key': 'v1' });
    const w = watchOneKey('/down/key', ['--backend', 'etcd', '--node', a.clientUrl]);
    try {
      await w.untilValue('v1', 20_000, 'first render');
      await a.process.kill();
      await putAll([b.clientUrl], { '/down/key': 'v2' });
      await new Promise((r) => setTimeout(r, 1000));
      await a.process.start();
      await w.untilValue('v2', 40_000, 'the change made during the outage');
    } finally {
      await w.stop();
    }
  });

  it('kill the member the daemon uses: changes are still rendered through the others', async () => {
    await putAll(cluster.endpoints, { '/failover/key': 'v1' });
    const w = watchOneKey('/failover/key', ['--backend', 'etcd', ...cluster.endpoints.flatMap((e) => ['--node', e]), '--interval', '5']);
    try {
      await w.untilValue('v1', 20_000, 'first render');
      // etcd3 picks endpoints itself; kill each member in turn while writing through another, so
      // whichever one the daemon uses dies at some point.
      for (let i = 0; i < 3; i++) {
        const victim = cluster.members[i];
        const survivor = cluster.members[(i + 1) % 3];
        await victim.process.kill();
        await putAll([survivor.clientUrl], { '/failover/key': `v${i + 2}` });
        await w.untilValue(`v${i + 2}`, 40_000, `value v${i + 2} with ${victim.name} down`);
        await victim.process.start();
      }
    } finally {
      await w.stop();
    }
  });
});

describe.runIf(available)('etcd backend over TLS with a client certificate', () => {
  let tlsCluster: EtcdCluster;
  let certs: TestCertificates;
  beforeAll(async () => {
    certs = makeCertificates();
    tlsCluster = await EtcdCluster.start(1, { ca: certs.ca, serverCert: certs.serverCert, serverKey: certs.serverKey });
    const client = new Etcd3({
      hosts: tlsCluster.endpoints,
      credentials: { rootCertificate: readFileSync(certs.ca), certChain: readFileSync(certs.clientCert), privateKey: readFileSync(certs.clientKey) },
    });
    for (const [k, v] of Object.entries(CANONICAL_DATA)) await client.put(k).value(v);
    client.close();
  });
  afterAll(() => tlsCluster?.stop());

  it('renders the fixture with --client-cert, --client-key and --client-ca-keys', async () => {
    await expectFixtureRenders([
      '--backend', 'etcd', '--node', tlsCluster.endpoints[0],
      '--client-cert', certs.clientCert, '--client-key', certs.clientKey, '--client-ca-keys', certs.ca,
    ]);
  });

  it('fails clearly without a client certificate', async () => {
    const ws = workspace();
    ws.template('t.tmpl', '{{getv "/key"}}');
    ws.resource('t', `[template]\nsrc = "t.tmpl"\ndest = "${ws.out}/t.conf"\nkeys = ["/key"]\n`);
    const run = await runConfd(['render', '--backend', 'etcd', '--node', tlsCluster.endpoints[0], '--client-ca-keys', certs.ca, '--confdir', ws.confdir], { timeoutMs: 60_000 });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/etcd: /);
    ws.cleanup();
  });
});

describe.runIf(available && haveEtcdctl())('etcd backend with user/password authentication (enabled with etcdctl)', () => {
  let cluster: EtcdCluster;
  const root = { username: 'root', password: 'r00t-pw' };
  beforeAll(async () => {
    // Simple tokens that expire after 2 s idle, and info-level zap logs that say when one does.
    cluster = await EtcdCluster.start(1, undefined, ['--auth-token', 'simple', '--auth-token-ttl', '2', '--logger', 'zap', '--log-outputs', 'stderr', '--log-level', 'info']);
    cluster.enableAuth(root.password, [
      { name: 'confd', password: 'confd-pw', readPrefix: '/' },
      // Only the daemon of the expiry test logs in as `watcher`: its token is the one that expires.
      { name: 'watcher', password: 'watcher-pw', readPrefix: '/expiry' },
    ]);
    await putAll(cluster.endpoints, CANONICAL_DATA, root);
  });
  afterAll(() => cluster?.stop());

  it('refuses anonymous reads once auth is on (etcdctl agrees)', () => {
    expect(() => cluster.etcdctl(['get', '/database/host'])).toThrow(/user name is empty|permission denied/);
    expect(cluster.etcdctl(['get', '--print-value-only', '/database/host'], 'confd:confd-pw').trim()).toBe(CANONICAL_DATA['/database/host']);
  });

  it('renders the fixture with --username and --password (and --basic-auth), in-process and through internal-plugin', async () => {
    await expectFixtureRenders(['--backend', 'etcd', '--node', cluster.endpoints[0], '--username', 'confd', '--password', 'confd-pw']);
    await expectFixtureRenders(['--backend', 'etcd', '--node', cluster.endpoints[0], '--basic-auth', '--username', 'confd', '--password', 'confd-pw']);
    await expectFixtureRenders(['--backend', internalPluginExecutable('etcd'), '--node', cluster.endpoints[0], '--username', 'confd', '--password', 'confd-pw']);
  });

  it('a wrong password, or none, fails with a clear error and writes nothing', async () => {
    const ws = workspace();
    ws.template('t.tmpl', '{{getv "/database/host"}}');
    ws.resource('t', `[template]\nsrc = "t.tmpl"\ndest = "${ws.out}/t.conf"\nkeys = ["/database"]\n`);
    try {
      const wrong = await runConfd(['render', '--backend', 'etcd', '--node', cluster.endpoints[0], '--username', 'confd', '--password', 'nope', '--confdir', ws.confdir], { timeoutMs: 60_000 });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('etcd: authentication failed for user "confd": invalid user ID or password');
      const anonymous = await runConfd(['render', '--backend', 'etcd', '--node', cluster.endpoints[0], '--confdir', ws.confdir], { timeoutMs: 60_000 });
      expect(anonymous.code).toBe(1);
      expect(anonymous.stderr).toMatch(/etcd: .*(user name is empty|permission denied).*authentication is enabled on the server: set --username and --password/);
      expect(ws.read(join(ws.out, 't.conf'))).toBeUndefined();
    } finally {
      ws.cleanup();
    }
  });

  it('watch mode survives the expiry of its auth token', async () => {
    await putAll(cluster.endpoints, { '/expiry/key': 'v1' }, root);
    const w = watchOneKey('/expiry/key', ['--backend', 'etcd', '--node', cluster.endpoints[0], '--username', 'watcher', '--password', 'watcher-pw', '--interval', '600']);
    try {
      const expired = cluster.members[0].process.waitForOutput(/"deleted a simple token","user-name":"watcher"/, 30_000);
      await w.untilValue('v1', 20_000, 'first render');
      // The daemon's token expires while it sits idle on its watch.
      await expired;
      await putAll(cluster.endpoints, { '/expiry/key': 'v2' }, root);
      await w.untilValue('v2', 20_000, 'the change after the token expired');
    } finally {
      await w.stop();
    }
  });
});
