// W4: watch latency on real etcd — N watched resources, U key updates, time from the
// put being acknowledged to the dest file holding the new value.
// W6: RSS of the watching daemon with N resources on etcd after start, and after C changes.
// With CONFD_PEER_BIN both daemons (ours and the classic confd, `-watch -backend etcdv3`)
// run against the same etcd server at the same time, each on its own key tree (ours
// /w/sNNNN, the peer /peer/w/sNNNN) with the same conf.d TOML and template text, and the
// updates alternate between them (W4: rounds peer, ours, peer, ours; W6: batches of 50).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, watch as fsWatch } from 'node:fs';
import { join } from 'node:path';
import { CONFD, PEER, pad, workdir, writeConfdir } from './common.js';
import { bulkPut, startEtcd } from './etcd.js';
import { percentile, median, rssOf } from '../lib.js';

const KEY_ROOT = { ours: '/w', peer: '/peer/w' };

/** Loads `count` keys, writes a confdir, starts the daemon and waits until it has rendered every resource. */
async function startDaemon(etcd, count, flavour) {
  const keyRoot = KEY_ROOT[flavour];
  const key = (i) => `${keyRoot}/s${pad(i)}/v`;
  await bulkPut(etcd.client, Array.from({ length: count }, (_, i) => [key(i), 'initial']));
  const root = workdir(`watch-${flavour}`);
  const out = join(root, 'out');
  mkdirSync(out);
  // One TOML for both: classic confd reads prefix + keys (here "/" under the prefix) and
  // ignores nothing we rely on; the template text is valid Handlebars and Go alike.
  const resources = {};
  for (let i = 0; i < count; i++) resources[`s${pad(i)}`] = `[template]\nsrc = "v.tmpl"\ndest = "${out}/s${pad(i)}.conf"\nprefix = "${keyRoot}/s${pad(i)}"\nkeys = ["/"]\n`;
  const confdir = writeConfdir(join(root, 'confdir'), resources, { 'v.tmpl': 'value={{getv "/v"}}\n' });
  const [cmd, ...args] = flavour === 'peer'
    ? [PEER, '-watch', '-backend', 'etcdv3', '-node', etcd.endpoint, '-confdir', confdir, '-log-level', 'warn']
    : [...CONFD, 'watch', '--backend', 'etcd', '--node', etcd.endpoint, '--confdir', confdir, '--log-level', 'warn'];
  const started = process.hrtime.bigint();
  const daemon = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (d) => (log = (log + d.toString()).slice(-4000));
  daemon.stdout.on('data', keep);
  daemon.stderr.on('data', keep);
  daemon.on('error', (error) => keep(`${cmd}: ${error.message}\n`));
  const read = (i) => {
    try {
      return readFileSync(join(out, `s${pad(i)}.conf`), 'utf8');
    } catch {
      return undefined;
    }
  };
  // Every resource, not just the first and last: the classic confd renders them in any order.
  let pending = Array.from({ length: count }, (_, i) => i);
  const deadline = Date.now() + 180_000;
  while ((pending = pending.filter((i) => read(i) !== 'value=initial\n')).length > 0) {
    if (Date.now() > deadline || daemon.exitCode !== null || daemon.signalCode !== null || daemon.pid === undefined) {
      if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGTERM');
      throw new Error(`${flavour} watch rendered ${count - pending.length} of ${count} resources:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const startMs = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    flavour, daemon, out, read, startMs,
    put: (i, value) => etcd.client.put(key(i)).value(value),
    log: () => log,
    async stop() {
      if (daemon.exitCode !== null || daemon.signalCode !== null) return;
      daemon.kill('SIGTERM');
      await new Promise((r) => daemon.once('exit', r));
    },
  };
}

/** Starts etcd and the daemons (ours, then the peer when CONFD_PEER_BIN is set); runs `body`; stops everything. */
async function withDaemons(count, body) {
  const etcd = await startEtcd();
  if (!etcd) return undefined;
  const daemons = [];
  try {
    daemons.push(await startDaemon(etcd, count, 'ours'));
    if (PEER) daemons.push(await startDaemon(etcd, count, 'peer'));
    await new Promise((r) => setTimeout(r, 500));
    return await body(daemons);
  } finally {
    for (const d of daemons) await d.stop();
    await etcd.stop();
  }
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
    const timer = setTimeout(() => (cleanup(), reject(new Error(`${setup.flavour}: dest ${i} never became ${value}\n${setup.log()}`))), timeoutMs);
    const cleanup = () => (watcher.close(), clearInterval(poll), clearTimeout(timer));
    const done = () => (cleanup(), resolve());
    watcher.on('change', check);
  });
}

const latencyStats = (xs) => ({ updates: xs.length, p50: median(xs), p90: percentile(xs, 90), p99: percentile(xs, 99), max: Math.max(...xs) });

/**
 * `updates` per daemon, in rounds of updates/2: ours, ours without a peer; peer, ours,
 * peer, ours with one. Top-level p50…max are ours; `peer` and `ratio` (ours/peer) with a peer.
 */
export async function runW4(count, updates) {
  return withDaemons(count, async (daemons) => {
    const [ours, peer] = daemons;
    const rounds = peer ? [peer, ours, peer, ours] : [ours, ours];
    const latencies = new Map(daemons.map((d) => [d, []]));
    const fromSend = new Map(daemons.map((d) => [d, []]));
    const next = new Map(daemons.map((d) => [d, 0]));
    for (const [r, d] of rounds.entries()) {
      const n = r < rounds.length / 2 ? Math.floor(updates / 2) : Math.ceil(updates / 2);
      for (let k = 0; k < n; k++) {
        const u = next.get(d);
        next.set(d, u + 1);
        const i = (u * 7) % count;
        const sent = process.hrtime.bigint();
        await d.put(i, `u${u}`);
        const acked = process.hrtime.bigint();
        await waitForValue(d, i, `u${u}`);
        const now = process.hrtime.bigint();
        latencies.get(d).push(Number(now - acked) / 1e6);
        fromSend.get(d).push(Number(now - sent) / 1e6);
      }
    }
    // fromSend: the same, timed from before the put was sent (includes the put's own round trip:
    // a fast daemon can have written dest before the client sees the put acknowledged).
    const figures = (d) => ({ startMs: d.startMs, ...latencyStats(latencies.get(d)), fromSend: latencyStats(fromSend.get(d)) });
    const result = { resources: count, ...figures(ours) };
    if (peer) {
      result.peer = figures(peer);
      result.ratio = {
        p50: result.p50 / result.peer.p50,
        p99: result.p99 / result.peer.p99,
        fromSend: { p50: result.fromSend.p50 / result.peer.fromSend.p50, p99: result.fromSend.p99 / result.peer.fromSend.p99 },
      };
    }
    return result;
  });
}

/**
 * RSS after start and at five checkpoints over `changes` changes (a leak grows with every
 * batch, a warm heap levels off). With a peer, batches of 50 puts alternate ours, peer.
 */
export async function runW6(count, changes) {
  return withDaemons(count, async (daemons) => {
    const rss = (d) => rssOf(d.daemon.pid);
    const afterStart = new Map(daemons.map((d) => [d, rss(d)]));
    const checkpoints = new Map(daemons.map((d) => [d, []]));
    const step = Math.ceil(changes / 5);
    for (let c = 0; c < changes; c += 50) {
      const done = Math.min(c + 50, changes);
      for (const d of daemons) {
        await Promise.all(Array.from({ length: done - c }, (_, j) => d.put((c + j) % count, `c${c + j}`)));
      }
      if (done % step < 50 || done === changes) {
        const last = done - 1;
        for (const d of daemons) {
          await waitForValue(d, last % count, `c${last}`, 120_000);
          checkpoints.get(d).push({ changes: done, rssKiB: rss(d) });
        }
      }
    }
    await new Promise((r) => setTimeout(r, 2000));
    // Every resource must hold its last value before the figures count.
    for (const d of daemons) {
      for (let i = 0; i < Math.min(count, changes); i++) {
        const last = changes - 1 - ((changes - 1 - i) % count);
        await waitForValue(d, i, `c${last}`, 30_000);
      }
    }
    const figures = (d) => ({ rssAfterStartKiB: afterStart.get(d), rssAfterChangesKiB: rss(d), checkpoints: checkpoints.get(d), startMs: d.startMs });
    const [ours, peer] = daemons;
    const result = { resources: count, changes, ...figures(ours) };
    if (peer) {
      result.peer = figures(peer);
      result.ratio = { rssAfterStart: result.rssAfterStartKiB / result.peer.rssAfterStartKiB, rssAfterChanges: result.rssAfterChangesKiB / result.peer.rssAfterChangesKiB };
    }
    return result;
  });
}
