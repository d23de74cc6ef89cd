#!/usr/bin/env node
// `npm run bench` — workloads W1–W6 (docs/performance.md). `--quick` runs small sizes as
// a CI smoke test: every workload's output is verified; timings are reported, never asserted.
// CONFD_PEER_BIN=/path/to/confd runs the same workloads on a classic confd, interleaved
// A B A B, and reports the ratio measured in the same run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compare, fmtMiB, fmtMs, machine, measure, summarise } from './lib.js';
import { PEER, REPO } from './workloads/common.js';
import { prepareW1 } from './workloads/fixture.js';
import { prepareW2, prepareW3 } from './workloads/many.js';
import { runW4, runW6 } from './workloads/watch.js';
import { runGoFlavour } from './workloads/go-flavour.js';

const quick = process.argv.includes('--quick');
const size = quick
  ? { runs: 3, w2: 100, w3: 100, w4: 50, w4updates: 20, w6: 100, w6changes: 500 }
  : { runs: 7, w2: 1000, w3: 1000, w4: 1000, w4updates: 200, w6: 1000, w6changes: 10_000 };

const results = { date: new Date().toISOString(), quick, machine: machine(), peer: PEER ?? null, workloads: {} };
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

const w1 = prepareW1();
const floor = await compare(size.runs, () => measure(w1.floor));
results.workloads.floor = { title: 'node -e 0', ours: { wall: summarise(floor.a, 'ms'), rss: summarise(floor.a, 'rssKiB') } };
say(`floor (node -e 0): ${fmtMs(results.workloads.floor.ours.wall.median)}, peak RSS ${fmtMiB(results.workloads.floor.ours.rss?.median)}`);
const e1 = await oneShot('W1', 'cold one-shot, confd fixture, file backend', w1);
say(`W1 / floor: ${(e1.ours.wall.median / results.workloads.floor.ours.wall.median).toFixed(2)}×`);
const w2 = prepareW2(size.w2);
const e2 = await oneShot('W2', `${size.w2} resources, distinct prefixes, one ${size.w2 * 10}-key YAML`, w2);
const w3 = prepareW3(size.w3);
await oneShot('W3', `${size.w3} resources, lsdir + gets over 100 services (1100 keys)`, w3);
for (const [id, setup] of [['W2', w2], ['W3', w3]]) {
  const flavour = await runGoFlavour(size.runs, setup);
  results.workloads[`${id}go`] = { title: `${id} with Go templates (--template-engine go) vs Handlebars, same run`, ...flavour };
  say(`${id}go Go templates: ${fmtMs(flavour.go.wall.median)} (min ${fmtMs(flavour.go.wall.min)}, max ${fmtMs(flavour.go.wall.max)}); Handlebars ${fmtMs(flavour.handlebars.wall.median)} → Go/Handlebars ${flavour.ratio.toFixed(2)}×, outputs byte-identical`);
}
const e5 = await oneShot('W5', `W2 through bin/plugins/confd-database-file`, prepareW2(size.w2, { plugin: true }));
say(`W5 / W2: ${(e5.ours.wall.median / e2.ours.wall.median).toFixed(2)}×`);

const w4 = await runW4(size.w4, size.w4updates);
if (w4) {
  results.workloads.W4 = { title: 'watch latency on etcd', ...w4 };
  say(`W4 watch latency, ${w4.resources} resources, ${w4.updates} updates: p50 ${fmtMs(w4.p50)}, p90 ${fmtMs(w4.p90)}, p99 ${fmtMs(w4.p99)}, max ${fmtMs(w4.max)}`);
} else say('W4 skipped: etcd is not installed (apt-get install -y etcd-server)');
const w6 = await runW6(size.w6, size.w6changes);
if (w6) {
  results.workloads.W6 = { title: 'confd watch RSS on etcd', ...w6 };
  say(`W6 RSS of confd watch, ${w6.resources} resources: ${fmtMiB(w6.rssAfterStartKiB)} after start, ${fmtMiB(w6.rssAfterChangesKiB)} after ${w6.changes} changes`);
  say(`W6 RSS along the way: ${w6.checkpoints.map((p) => `${p.changes}: ${fmtMiB(p.rssKiB)}`).join(', ')}`);
} else say('W6 skipped: etcd is not installed (apt-get install -y etcd-server)');

if ((!w4 || !w6) && process.env.CI === 'true') {
  console.error('CI=true: etcd is required for W4 and W6');
  process.exit(1);
}

const dir = join(REPO, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const stamp = results.date.slice(0, 10) + (quick ? '-quick' : '');
writeFileSync(join(dir, `${stamp}.json`), JSON.stringify(results, null, 2) + '\n');
writeFileSync(join(dir, `${stamp}.md`), lines.join('\n') + '\n');
console.log(`\nwrote bench/results/${stamp}.md and .json`);
