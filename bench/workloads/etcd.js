// Shared etcd pieces for W4, W6 and W7: one server from the integration harness
// (dist/integration/servers/etcd.js), a client, bulk loading, and its watch metrics.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './common.js';

/** Starts a single-member etcd; undefined when etcd is not installed. */
export async function startEtcd() {
  if (!existsSync('/usr/bin/etcd')) return undefined;
  const { EtcdCluster } = await import(join(REPO, 'dist', 'integration', 'servers', 'etcd.js'));
  const { Etcd3 } = await import('etcd3');
  const cluster = await EtcdCluster.start(1);
  const client = new Etcd3({ hosts: cluster.endpoints });
  return {
    cluster,
    client,
    endpoint: cluster.endpoints[0],
    async stop() {
      client.close();
      await cluster.stop();
    },
  };
}

/**
 * Puts [key, value] pairs in transactions of `perTxn` puts (etcd's default limit is 128
 * operations a txn), `parallel` transactions at a time.
 */
export async function bulkPut(client, pairs, { perTxn = 100, parallel = 8 } = {}) {
  const txns = [];
  for (let i = 0; i < pairs.length; i += perTxn) txns.push(pairs.slice(i, i + perTxn));
  let next = 0;
  const worker = async () => {
    while (next < txns.length) {
      const batch = txns[next++];
      await client.kv.txn({ success: batch.map(([key, value]) => ({ request_put: { key: Buffer.from(key), value: Buffer.from(value) } })) });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** etcd's own count of open watch streams and watchers (Prometheus /metrics; etcd 3.4 names). */
export async function watchMetrics(endpoint) {
  const text = await (await fetch(`${endpoint}/metrics`)).text();
  const metric = (name) => {
    const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    return match ? Number(match[1]) : undefined;
  };
  return { streams: metric('etcd_debugging_mvcc_watch_stream_total'), watchers: metric('etcd_debugging_mvcc_watcher_total') };
}
