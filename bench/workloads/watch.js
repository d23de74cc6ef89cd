// W4: watch latency on real etcd — N watched resources, U key updates, time from the
// put being acknowledged to the dest file holding the new value.
// W6: RSS of `confd watch` with N resources on etcd after start, and after C changes.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, watch as fsWatch } from 'node:fs';
import { join } from 'node:path';
import { CONFD, REPO, pad, workdir, writeConfdir } from './common.js';
import { percentile, median, rssOf } from '../lib.js';

async function etcdHarness() {
  const module = join(REPO, 'dist', 'integration', 'servers', 'etcd.js');
  if (!existsSync('/usr/bin/etcd')) return undefined;
  const { EtcdCluster } = await import(module);
  return EtcdCluster;
}

async function startSetup(count) {
  const EtcdCluster = await etcdHarness();
  if (!EtcdCluster) return undefined;
  const { Etcd3 } = await import('etcd3');
  const cluster = await EtcdCluster.start(1);
  const client = new Etcd3({ hosts: cluster.endpoints });
  for (let i = 0; i < count; i += 100) {
    await Promise.all(Array.from({ length: Math.min(100, count - i) }, (_, j) => client.put(`/w/s${pad(i + j)}/v`).value('initial')));
  }
  const root = workdir('watch');
  const resources = {};
  for (let i = 0; i < count; i++) resources[`s${pad(i)}`] = `[template]\nsrc = "v.tmpl"\ndest = "${root}/out/s${pad(i)}.conf"\nprefix = "/w/s${pad(i)}"\nkeys = ["/"]\nmake_directories = true\n`;
  const confdir = writeConfdir(join(root, 'confdir'), resources, { 'v.tmpl': 'value={{getv "/v"}}\n' });
  const daemon = spawn(CONFD[0], [...CONFD.slice(1), 'watch', '--backend', 'etcd', '--node', cluster.endpoints[0], '--confdir', confdir, '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  daemon.stderr.on('data', (d) => (log = (log + d.toString()).slice(-4000)));
  const out = join(root, 'out');
  const dest = (i) => join(out, `s${pad(i)}.conf`);
  const read = (i) => {
    try {
      return readFileSync(dest(i), 'utf8');
    } catch {
      return undefined;
    }
  };
  const deadline = Date.now() + 120_000;
  while (read(count - 1) !== 'value=initial\n' || read(0) !== 'value=initial\n') {
    if (Date.now() > deadline || daemon.exitCode !== null) throw new Error(`confd watch did not render ${count} resources:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 500));
  return {
    client, daemon, out, read,
    async stop() {
      daemon.kill('SIGTERM');
      await new Promise((r) => daemon.once('exit', r));
      client.close();
      await cluster.stop();
    },
  };
}

/** Resolves when dest `i` holds `value`, watching the directory (inotify) with a poll fallback. */
function waitForValue(setup, i, value, timeoutMs = 30_000) {
  const wanted = `value=${value}\n`;
  if (setup.read(i) === wanted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const watcher = fsWatch(setup.out);
    const check = () => {
      if (setup.read(i) === wanted) done();
    };
    const poll = setInterval(check, 5);
    const timer = setTimeout(() => (cleanup(), reject(new Error(`dest ${i} never became ${value}`))), timeoutMs);
    const cleanup = () => (watcher.close(), clearInterval(poll), clearTimeout(timer));
    const done = () => (cleanup(), resolve());
    watcher.on('change', check);
  });
}

export async function runW4(count, updates) {
  const setup = await startSetup(count);
  if (!setup) return undefined;
  try {
    const latencies = [];
    for (let u = 0; u < updates; u++) {
      const i = (u * 7) % count;
      await setup.client.put(`/w/s${pad(i)}/v`).value(`u${u}`);
      const acked = process.hrtime.bigint();
      await waitForValue(setup, i, `u${u}`);
      latencies.push(Number(process.hrtime.bigint() - acked) / 1e6);
    }
    return { resources: count, updates, p50: median(latencies), p90: percentile(latencies, 90), p99: percentile(latencies, 99), max: Math.max(...latencies) };
  } finally {
    await setup.stop();
  }
}

export async function runW6(count, changes) {
  const setup = await startSetup(count);
  if (!setup) return undefined;
  try {
    const afterStart = rssOf(setup.daemon.pid);
    // RSS at five checkpoints: a leak grows with every batch, a warm heap levels off.
    const checkpoints = [];
    const step = Math.ceil(changes / 5);
    for (let c = 0; c < changes; c += 50) {
      await Promise.all(Array.from({ length: Math.min(50, changes - c) }, (_, j) => setup.client.put(`/w/s${pad((c + j) % count)}/v`).value(`c${c + j}`)));
      const done = Math.min(c + 50, changes);
      if (done % step < 50 || done === changes) {
        const last = done - 1;
        await waitForValue(setup, last % count, `c${last}`, 120_000);
        checkpoints.push({ changes: done, rssKiB: rssOf(setup.daemon.pid) });
      }
    }
    await new Promise((r) => setTimeout(r, 2000));
    const afterChanges = rssOf(setup.daemon.pid);
    return { resources: count, changes, rssAfterStartKiB: afterStart, rssAfterChangesKiB: afterChanges, checkpoints };
  } finally {
    await setup.stop();
  }
}
