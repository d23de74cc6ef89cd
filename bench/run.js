#!/usr/bin/env node
// `npm run bench` — workloads W1–W7 and D1 (docs/performance.md). `--quick` runs small
// sizes as a CI smoke test: every workload's output is verified; timings are reported,
// never asserted. CONFD_PEER_BIN=/path/to/confd runs W1–W4 and W6 on a classic confd too,
// interleaved, and reports the ratio measured in the same run. `--only W4,W6,W7` runs a
// subset (floor, W1…W7, W2go, W3go, D1); its results go to <date>[-quick]-only-W4-W6-W7.*.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compare, fmtMiB, fmtMs, machine, measure, summarise } from './lib.js';
import { runDurability } from './workloads/durability.js';
import { runW7 } from './workloads/scale.js';
import { PEER, REPO } from './workloads/common.js';
import { prepareW1 } from './workloads/fixture.js';
import { prepareW2, prepareW3 } from './workloads/many.js';
import { runW4, runW6 } from './workloads/watch.js';
import { runGoFlavour } from './workloads/go-flavour.js';

const quick = process.argv.includes('--quick');
const onlyArg = process.argv.find((a, i) => a.startsWith('--only=') || process.argv[i - 1] === '--only');
const only = onlyArg ? onlyArg.replace(/^--only=/, '').split(',').map((w) => w.trim().toUpperCase()).filter(Boolean) : undefined;
const KNOWN = ['FLOOR', 'W1', 'W2', 'W3', 'W2GO', 'W3GO', 'W4', 'W5', 'W6', 'W7', 'D1'];
for (const w of only ?? []) if (!KNOWN.includes(w)) throw new Error(`--only: unknown workload ${w} (known: ${KNOWN.join(', ')})`);
const selected = (id) => !only || only.includes(id.toUpperCase());
const size = quick
  ? { runs: 3, w2: 100, w3: 100, w4: 50, w4updates: 20, w6: 100, w6changes: 500, w7: [20, 200], w7runs: 1, w7watchRuns: 1, d1: 50 }
  : { runs: 7, w2: 1000, w3: 1000, w4: 1000, w4updates: 200, w6: 1000, w6changes: 10_000, w7: [1000, 10_000], w7runs: 2, w7watchRuns: 1, d1: 300 };

const results = { date: new Date().toISOString(), quick, only: only ?? null, machine: machine(), peer: PEER ?? null, workloads: {} };
const lines = [];
const say = (text) => {
  lines.push(text);
  console.log(text);
};

async function oneShot(id, title, setup) {
  const run = (argv) => async () => {
    const sample = await measure(argv, { env: setup.env });
    if (sample.code !== 0) throw new Error(`${id}: ${argv.join(' ')} exited ${sample.code}:\n${sample.stderr}`);
    return sample;
  };
  const { a, b } = await compare(size.runs, run(setup.ours), setup.peer ? run(setup.peer) : undefined);
  setup.verify();
  const entry = { title, ours: { wall: summarise(a, 'ms'), rss: summarise(a, 'rssKiB') } };
  if (b) {
    entry.peer = { wall: summarise(b, 'ms'), rss: summarise(b, 'rssKiB') };
    entry.ratio = entry.ours.wall.median / entry.peer.wall.median;
  }
  results.workloads[id] = entry;
  const w = entry.ours.wall;
  say(`${id} ${title}: ${fmtMs(w.median)} (min ${fmtMs(w.min)}, max ${fmtMs(w.max)}), peak RSS ${fmtMiB(entry.ours.rss?.median)}` +
    (entry.peer ? `; confd ${fmtMs(entry.peer.wall.median)} → ratio ${entry.ratio.toFixed(2)}×` : ''));
  return entry;
}

say(`# confd benchmarks ${quick ? '(quick)' : ''}\n\n${results.machine.cpu}, ${results.machine.cores} cores, node ${results.machine.node}\n`);

const ratio = (x) => `${x.toFixed(2)}×`;

let floor;
if (selected('floor') || selected('W1')) {
  const w1 = prepareW1();
  const f = await compare(size.runs, () => measure(w1.floor));
  floor = results.workloads.floor = { title: 'node -e 0', ours: { wall: summarise(f.a, 'ms'), rss: summarise(f.a, 'rssKiB') } };
  say(`floor (node -e 0): ${fmtMs(floor.ours.wall.median)}, peak RSS ${fmtMiB(floor.ours.rss?.median)}`);
  if (selected('W1')) {
    const e1 = await oneShot('W1', 'cold one-shot, confd fixture, file backend', w1);
    say(`W1 / floor: ${ratio(e1.ours.wall.median / floor.ours.wall.median)}`);
  }
}
let e2;
const w2 = ['W2', 'W2go', 'W5'].some(selected) ? prepareW2(size.w2) : undefined;
if (selected('W2')) e2 = await oneShot('W2', `${size.w2} resources, distinct prefixes, one ${size.w2 * 10}-key YAML`, w2);
const w3 = ['W3', 'W3go'].some(selected) ? prepareW3(size.w3) : undefined;
if (selected('W3')) await oneShot('W3', `${size.w3} resources, lsdir + gets over 100 services (1100 keys)`, w3);
for (const [id, setup] of [['W2', w2], ['W3', w3]]) {
  if (!selected(`${id}go`)) continue;
  const flavour = await runGoFlavour(size.runs, setup);
  results.workloads[`${id}go`] = { title: `${id} with Go templates (--template-engine go) vs Handlebars, same run`, ...flavour };
  say(`${id}go Go templates: ${fmtMs(flavour.go.wall.median)} (min ${fmtMs(flavour.go.wall.min)}, max ${fmtMs(flavour.go.wall.max)}); Handlebars ${fmtMs(flavour.handlebars.wall.median)} → Go/Handlebars ${flavour.ratio.toFixed(2)}×, outputs byte-identical`);
}
if (selected('W5')) {
  const e5 = await oneShot('W5', `W2 through bin/plugins/confd-database-file`, prepareW2(size.w2, { plugin: true }));
  if (e2) say(`W5 / W2: ${ratio(e5.ours.wall.median / e2.ours.wall.median)}`);
}

let etcdMissing = false;
if (selected('W4')) {
  const w4 = await runW4(size.w4, size.w4updates);
  if (w4) {
    results.workloads.W4 = { title: 'watch latency on etcd', ...w4 };
    const sent = (x) => `; from put sent: p50 ${fmtMs(x.fromSend.p50)}, p99 ${fmtMs(x.fromSend.p99)}`;
    say(`W4 watch latency, ${w4.resources} resources, ${w4.updates} updates: p50 ${fmtMs(w4.p50)}, p90 ${fmtMs(w4.p90)}, p99 ${fmtMs(w4.p99)}, max ${fmtMs(w4.max)}${sent(w4)}`);
    if (w4.peer) {
      const p = w4.peer;
      say(`W4 confd -watch, same etcd, ${p.updates} updates (rounds alternating confd/ours/confd/ours): p50 ${fmtMs(p.p50)}, p90 ${fmtMs(p.p90)}, p99 ${fmtMs(p.p99)}, max ${fmtMs(p.max)}${sent(p)}`);
      say(`W4 ratio ours/confd: p50 ${ratio(w4.ratio.p50)}, p99 ${ratio(w4.ratio.p99)}; from put sent: p50 ${ratio(w4.ratio.fromSend.p50)}, p99 ${ratio(w4.ratio.fromSend.p99)}`);
    }
  } else etcdMissing = true;
}
if (selected('W6')) {
  const w6 = await runW6(size.w6, size.w6changes);
  if (w6) {
    results.workloads.W6 = { title: 'confd watch RSS on etcd', ...w6 };
    say(`W6 RSS of confd watch, ${w6.resources} resources: ${fmtMiB(w6.rssAfterStartKiB)} after start, ${fmtMiB(w6.rssAfterChangesKiB)} after ${w6.changes} changes`);
    say(`W6 RSS along the way: ${w6.checkpoints.map((p) => `${p.changes}: ${fmtMiB(p.rssKiB)}`).join(', ')}`);
    if (w6.peer) {
      const p = w6.peer;
      say(`W6 confd -watch (same etcd, changes alternating in batches of 50): ${fmtMiB(p.rssAfterStartKiB)} after start, ${fmtMiB(p.rssAfterChangesKiB)} after ${w6.changes} changes; along the way ${p.checkpoints.map((c) => `${c.changes}: ${fmtMiB(c.rssKiB)}`).join(', ')}`);
      say(`W6 ratio ours/confd RSS: after start ${ratio(w6.ratio.rssAfterStart)}, after changes ${ratio(w6.ratio.rssAfterChanges)}`);
    }
  } else etcdMissing = true;
}
if (etcdMissing) say('W4/W6 skipped: etcd is not installed (apt-get install -y etcd-server)');

if (selected('W7')) {
  const w7 = await runW7(size.w7, { runs: size.w7runs, watchRuns: size.w7watchRuns });
  const [small, large] = w7.sizes;
  results.workloads.W7 = { title: `scale: ${small} and ${large} resources over ${small * 10} and ${large * 10} keys, file and etcd`, ...w7 };
  if (!w7.etcd) say('W7 etcd part skipped: etcd is not installed');
  else say(`W7 loaded ${w7.keys.reduce((a, b) => a + b)} keys into etcd in ${fmtMs(w7.loadMs)}`);
  const labels = { oneShotFile: 'one-shot render, file', oneShotEtcd: 'one-shot render, etcd', watchFile: 'watch start to all rendered, file', watchEtcd: 'watch start to all rendered, etcd' };
  for (const [key, label] of Object.entries(labels)) {
    const [a, b] = [w7.bySize[small][key], w7.bySize[large][key]];
    if (!a) continue;
    const rssLabel = key.startsWith('watch') ? 'daemon RSS' : 'peak RSS';
    say(`W7 ${label}: ${small} → ${fmtMs(a.wall.median)}, ${rssLabel} ${fmtMiB(a.rss?.median)}; ${large} → ${fmtMs(b.wall.median)} (min ${fmtMs(b.wall.min)}, max ${fmtMs(b.wall.max)}), ${rssLabel} ${fmtMiB(b.rss?.median)}` +
      (b.peakRss ? ` (peak ${fmtMiB(b.peakRss.median)})` : '') +
      `; growth ${large}/${small}: time ${ratio(w7.growth[key].wall)}, RSS ${ratio(w7.growth[key].rss)}`);
    if (b.etcd) say(`W7 etcd watch streams with the daemon at ${large}: ${b.etcd.streams} streams, ${b.etcd.watchers} watchers (at ${small}: ${a.etcd.streams}, ${a.etcd.watchers})`);
  }
  const g = w7.growth;
  const maxRss = Math.max(...['watchFile', 'watchEtcd'].filter((k) => w7.bySize[large][k]).map((k) => w7.bySize[large][k].peakRss?.median ?? w7.bySize[large][k].rss.median));
  say(`W7 targets: one-shot ${large} ≤ 11× ${small} (file ${ratio(g.oneShotFile.wall)}${g.oneShotEtcd ? `, etcd ${ratio(g.oneShotEtcd.wall)}` : ''}: ${g.oneShotFile.wall <= 11 && (!g.oneShotEtcd || g.oneShotEtcd.wall <= 11) ? 'met' : 'NOT met'}); daemon RSS ≤ 300 MiB (peak ${fmtMiB(maxRss)}: ${maxRss <= 300 * 1024 ? 'met' : 'NOT met'})`);
}

if (selected('D1')) {
  const d1 = runDurability(size.d1);
  results.workloads.D1 = { title: 'durable write (stage + fsync + rename + fsync dir) vs writeFile + rename, 4 KiB', ...d1 };
  say(`D1 durable write of 4 KiB, ${d1.iterations} each, interleaved: durable p50 ${fmtMs(d1.durable.p50)}, p99 ${fmtMs(d1.durable.p99)}; plain p50 ${fmtMs(d1.plain.p50)}, p99 ${fmtMs(d1.plain.p99)} → fsync costs ${fmtMs(d1.cost.p50)} at p50 (${ratio(d1.ratio.p50)}), ${fmtMs(d1.cost.p99)} at p99`);
}

if (etcdMissing && process.env.CI === 'true') {
  console.error('CI=true: etcd is required for W4 and W6');
  process.exit(1);
}

const dir = join(REPO, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const stamp = results.date.slice(0, 10) + (quick ? '-quick' : '') + (only ? `-only-${only.join('-')}` : '');
writeFileSync(join(dir, `${stamp}.json`), JSON.stringify(results, null, 2) + '\n');
writeFileSync(join(dir, `${stamp}.md`), lines.join('\n') + '\n');
console.log(`\nwrote bench/results/${stamp}.md and .json`);
