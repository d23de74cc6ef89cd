// W7: scale. N resources over 10·N keys (prefix /…/sNNNN with name and k1…k9, as W2),
// at a small and a large N in the same run (1000 and 10 000; --quick: 20 and 200), on the
// file backend (one YAML data file) and on etcd:
//   one-shot — `confd render`, warm-up then `runs` runs (dests already up to date after
//              the warm-up, as W2), wall time and peak RSS;
//   watch    — `confd watch` into an empty out dir: from spawn to every dest rendered,
//              then the daemon's RSS (and peak), and on etcd its open watch streams and
//              watchers as etcd itself counts them (/metrics).
// Every output file is compared with its expected text before the figures count.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compare, measure, median, peakRssOf, rssOf, summarise } from '../lib.js';
import { CONFD, pad, workdir, writeConfdir } from './common.js';
import { bulkPut, startEtcd, watchMetrics } from './etcd.js';

const TEMPLATE = 'name={{getv "/name"}}\n{{#each (gets "/*")}}{{Key}}={{Value}}\n{{/each}}';
const DEST = /^s\d{4,}\.conf$/;
const expected = (i) => `name=service-${i}\n${Array.from({ length: 9 }, (_, k) => `/k${k + 1}=value-${i}-${k + 1}\n`).join('')}/name=service-${i}\n`;
const name = (i) => `s${pad(i)}`;

function keyPairs(root, count) {
  const pairs = [];
  for (let i = 0; i < count; i++) {
    pairs.push([`${root}/${name(i)}/name`, `service-${i}`]);
    for (let k = 1; k < 10; k++) pairs.push([`${root}/${name(i)}/k${k}`, `value-${i}-${k}`]);
  }
  return pairs;
}

/** A confdir of `count` resources under key root `keyRoot`, writing into `<dir>/out`. */
function confdir(dir, count, keyRoot) {
  const out = join(dir, 'out');
  mkdirSync(out, { recursive: true });
  const resources = {};
  for (let i = 0; i < count; i++) resources[name(i)] = `[template]\nsrc = "svc.tmpl"\ndest = "${out}/${name(i)}.conf"\nprefix = "${keyRoot}/${name(i)}"\nkeys = ["/"]\n`;
  writeConfdir(join(dir, 'confdir'), resources, { 'svc.tmpl': TEMPLATE });
  return { confdir: join(dir, 'confdir'), out };
}

function rendered(out) {
  return readdirSync(out).filter((f) => DEST.test(f)).length;
}

function verify(id, out, count) {
  for (let i = 0; i < count; i++) {
    let text;
    try {
      text = readFileSync(join(out, `${name(i)}.conf`), 'utf8');
    } catch {}
    if (text !== expected(i)) throw new Error(`${id}: ${out}/${name(i)}.conf is wrong:\n${text}`);
  }
}

async function oneShot(id, runs, argv, out, count) {
  const run = async () => {
    const sample = await measure(argv);
    if (sample.code !== 0) throw new Error(`${id}: ${argv.join(' ')} exited ${sample.code}:\n${sample.stderr}`);
    return sample;
  };
  const { a } = await compare(runs, run);
  verify(id, out, count);
  return { wall: summarise(a, 'ms'), rss: summarise(a, 'rssKiB') };
}

/** One daemon start into an empty out dir; resolves the time to every dest rendered and the RSS then. */
async function watchOnce(id, argv, out, count, endpoint) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  const started = process.hrtime.bigint();
  const daemon = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  daemon.stderr.on('data', (d) => (log = (log + d.toString()).slice(-4000)));
  try {
    const deadline = Date.now() + 300_000;
    while (rendered(out) < count) {
      if (Date.now() > deadline || daemon.exitCode !== null || daemon.signalCode !== null) throw new Error(`${id}: confd watch rendered ${rendered(out)} of ${count}:\n${log}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    verify(id, out, count);
    // RSS once the start-up pass has settled.
    await new Promise((r) => setTimeout(r, 1000));
    const sample = { ms, rssKiB: rssOf(daemon.pid), peakRssKiB: peakRssOf(daemon.pid) };
    if (endpoint) sample.etcd = await watchMetrics(endpoint);
    if (daemon.exitCode !== null || daemon.signalCode !== null) throw new Error(`${id}: confd watch exited:\n${log}`);
    return sample;
  } finally {
    if (daemon.exitCode === null && daemon.signalCode === null) {
      daemon.kill('SIGTERM');
      await new Promise((r) => daemon.once('exit', r));
    }
  }
}

async function watchRuns(id, runs, argv, out, count, endpoint) {
  const samples = [];
  for (let r = 0; r < runs; r++) samples.push(await watchOnce(id, argv, out, count, endpoint));
  const result = { wall: summarise(samples, 'ms'), rss: summarise(samples, 'rssKiB'), peakRss: summarise(samples, 'peakRssKiB') };
  if (endpoint) result.etcd = samples.at(-1).etcd;
  return result;
}

/** `sizes` = [small, large]; returns per-size figures and the large/small growth ratios. */
export async function runW7(sizes, { runs, watchRuns: wRuns }) {
  const root = workdir('w7');
  const etcd = await startEtcd();
  const bySize = {};
  try {
    if (etcd) {
      const t = Date.now();
      await bulkPut(etcd.client, sizes.flatMap((n) => keyPairs(`/scale${n}`, n)));
      bySize.loadMs = Date.now() - t;
    }
    for (const n of sizes) {
      const entry = {};
      const dir = join(root, String(n));
      // File backend: one YAML file.
      const lines = ['svc:'];
      for (let i = 0; i < n; i++) {
        lines.push(`  ${name(i)}:`, `    name: service-${i}`);
        for (let k = 1; k < 10; k++) lines.push(`    k${k}: value-${i}-${k}`);
      }
      const data = join(dir, 'data.yaml');
      mkdirSync(dir, { recursive: true });
      writeFileSync(data, lines.join('\n') + '\n');
      const file = confdir(join(dir, 'file'), n, '/svc');
      const fileArgs = ['--backend', 'file', '--file', data, '--confdir', file.confdir, '--log-level', 'warn'];
      entry.oneShotFile = await oneShot(`W7 ${n} render file`, runs, [...CONFD, 'render', ...fileArgs], file.out, n);
      entry.watchFile = await watchRuns(`W7 ${n} watch file`, wRuns, [...CONFD, 'watch', ...fileArgs], file.out, n);
      if (etcd) {
        const e = confdir(join(dir, 'etcd'), n, `/scale${n}`);
        // --backend-timeout: at 10 000 prefixes one GetValues (two range reads a prefix, one
        // after another) outlasted the default 30 s on a loaded 2-core machine; we want the figure.
        const etcdArgs = ['--backend', 'etcd', '--node', etcd.endpoint, '--confdir', e.confdir, '--log-level', 'warn', '--backend-timeout', '10m'];
        entry.oneShotEtcd = await oneShot(`W7 ${n} render etcd`, runs, [...CONFD, 'render', ...etcdArgs], e.out, n);
        entry.watchEtcd = await watchRuns(`W7 ${n} watch etcd`, wRuns, [...CONFD, 'watch', ...etcdArgs], e.out, n, etcd.endpoint);
      }
      bySize[n] = entry;
    }
  } finally {
    if (etcd) await etcd.stop();
    rmSync(root, { recursive: true, force: true });
  }
  const [small, large] = sizes.map((n) => bySize[n]);
  const growth = {};
  for (const key of ['oneShotFile', 'oneShotEtcd', 'watchFile', 'watchEtcd']) {
    if (!large[key]) continue;
    growth[key] = { wall: large[key].wall.median / small[key].wall.median, rss: large[key].rss.median / small[key].rss.median };
  }
  return { sizes, keys: sizes.map((n) => n * 10), etcd: Boolean(etcd), loadMs: bySize.loadMs, bySize: Object.fromEntries(sizes.map((n) => [n, bySize[n]])), growth };
}
