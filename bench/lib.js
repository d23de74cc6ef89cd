// Measurement helpers for the benchmark harness: run a command and record its wall
// time and peak RSS (GNU time's %M for the whole process), and summarise runs.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

const GNU_TIME = '/usr/bin/time';

/** Runs argv once; resolves { ms, rssKiB, code, stderr }. */
export function measure(argv, { env, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const useTime = existsSync(GNU_TIME);
    const [cmd, args] = useTime ? [GNU_TIME, ['-f', 'CONFD_BENCH_RSS=%M', ...argv]] : [argv[0], argv.slice(1)];
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const match = /CONFD_BENCH_RSS=(\d+)/.exec(stderr);
      resolve({ ms, rssKiB: match ? Number(match[1]) : undefined, code, stderr: stderr.replace(/CONFD_BENCH_RSS=\d+\n?/, '') });
    });
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function summarise(samples, key) {
  const values = samples.map((s) => s[key]).filter((v) => typeof v === 'number');
  if (values.length === 0) return undefined;
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

/**
 * Runs `runs` measured iterations after one warm-up. With a peer, A and B alternate
 * (A B A B …) so both see the same machine state.
 */
export async function compare(runs, a, b) {
  await a();
  if (b) await b();
  const samplesA = [];
  const samplesB = [];
  for (let i = 0; i < runs; i++) {
    samplesA.push(await a());
    if (b) samplesB.push(await b());
  }
  return { a: samplesA, b: b ? samplesB : undefined };
}

export function machine() {
  const list = cpus();
  let model = list[0]?.model ?? 'unknown';
  try {
    model = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? model;
  } catch {}
  return { cpu: model, cores: list.length, node: process.version, platform: `${process.platform}-${process.arch}` };
}

/** Current RSS of a live process in KiB, from /proc. */
export function rssOf(pid) {
  return procStatus(pid, 'VmRSS');
}

/** Peak RSS so far of a live process in KiB (VmHWM), from /proc. */
export function peakRssOf(pid) {
  return procStatus(pid, 'VmHWM');
}

function procStatus(pid, field) {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
}

export function fmtMs(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}

export function fmtMiB(kib) {
  return kib === undefined ? 'n/a' : `${(kib / 1024).toFixed(0)} MiB`;
}
