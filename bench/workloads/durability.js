// D1: what a durable write costs on this machine. Two ways to replace a 4 KiB file,
// interleaved A B A B in one temp dir on the same filesystem as the other workloads:
//   durable — write a stage file, fsync it, rename it over dest, fsync the directory
//             (what confd-ts does for every changed dest);
//   plain   — writeFile the stage file, rename it over dest (no fsync).
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { median, percentile } from '../lib.js';
import { workdir } from './common.js';

function durableWrite(dir, dest, stage, data) {
  const fd = openSync(stage, 'w', 0o644);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(stage, dest);
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

function plainWrite(dest, stage, data) {
  writeFileSync(stage, data, { mode: 0o644 });
  renameSync(stage, dest);
}

export function runDurability(iterations) {
  const dir = workdir('durability');
  const dest = join(dir, 'dest.conf');
  const stage = join(dir, '.dest.conf.stage');
  const times = { durable: [], plain: [] };
  const time = (list, fn) => {
    const t = process.hrtime.bigint();
    fn();
    list.push(Number(process.hrtime.bigint() - t) / 1e6);
  };
  for (let i = -5; i < iterations; i++) {
    // Different content each time, so each write really changes the file; 5 warm-ups.
    const durableData = `durable ${i}\n`.padEnd(4096, 'x');
    const plainData = `plain ${i}\n`.padEnd(4096, 'y');
    const sink = i < 0 ? { durable: [], plain: [] } : times;
    time(sink.durable, () => durableWrite(dir, dest, stage, durableData));
    if (readFileSync(dest, 'utf8') !== durableData) throw new Error('D1: durable write lost its content');
    time(sink.plain, () => plainWrite(dest, stage, plainData));
    if (readFileSync(dest, 'utf8') !== plainData) throw new Error('D1: plain write lost its content');
  }
  rmSync(dir, { recursive: true, force: true });
  const stats = (xs) => ({ p50: median(xs), p90: percentile(xs, 90), p99: percentile(xs, 99), max: Math.max(...xs) });
  const durable = stats(times.durable);
  const plain = stats(times.plain);
  return { iterations, bytes: 4096, dir, durable, plain, cost: { p50: durable.p50 - plain.p50, p99: durable.p99 - plain.p99 }, ratio: { p50: durable.p50 / plain.p50, p99: durable.p99 / plain.p99 } };
}
