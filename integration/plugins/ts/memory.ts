/**
 * A test backend written on the plugin SDK, as a plugin author would: values come from
 * a JSON file (`dataFile` in [backend_config]); watching polls the file's content.
 * Test-only switches (also from [backend_config]): `failWith` makes GetValues return
 * that error; `dieOn = "getValues"` SIGKILLs the process in the middle of the call;
 * `slowMs` delays GetValues (to signal the host mid-call); `hangOn = "configure"` never
 * answers Configure; `hangWhile = <path>` never answers GetValues while that file
 * exists; `spewStdoutBytes` / `spewStderrLines` write that much garbage to the real
 * stdout / stderr during Configure. GetValues of `/_host` reports the host's peak memory
 * (`/_host/vmhwm_kb`, from /proc/<ppid>/status).
 */
import { existsSync, readFileSync, writeSync } from 'node:fs';
import { serve, pickUnder, type Database, type DatabaseConfig, type KeyValues } from '../../../src/plugin/serve/index.js';

const never = () => new Promise<never>(() => {});

/** writeSync on a non-blocking pipe: wait a moment and retry while the reader catches up. */
function writeAll(fd: number, data: Buffer): void {
  for (let offset = 0; offset < data.length; ) {
    try {
      offset += writeSync(fd, data, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/** Writes `bytes` of 'x' straight to fd 1, past the SDK's capture of process.stdout. */
function spewStdout(bytes: number): void {
  const chunk = Buffer.alloc(1024 * 1024, 'x');
  for (let left = bytes; left > 0; left -= chunk.length) writeAll(1, chunk.subarray(0, Math.min(chunk.length, left)));
}

function spewStderr(lines: number): void {
  let batch = '';
  for (let i = 1; i <= lines; i++) {
    batch += `[INFO] spam line ${i}\n`;
    if (batch.length > 64 * 1024 || i === lines) {
      writeAll(2, Buffer.from(batch));
      batch = '';
    }
  }
}

function hostPeakMemoryKb(): string {
  const status = readFileSync(`/proc/${process.ppid}/status`, 'utf8');
  return /VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? '';
}

class MemoryDatabase implements Database {
  private config: DatabaseConfig = {};

  async configure(config: DatabaseConfig): Promise<void> {
    if (!config.dataFile) throw new Error('dataFile is required (set it in [backend_config])');
    if (config.hangOn === 'configure') await never();
    if (config.spewStdoutBytes) spewStdout(Number(config.spewStdoutBytes));
    if (config.spewStderrLines) spewStderr(Number(config.spewStderrLines));
    this.config = config;
    console.error(JSON.stringify({ '@level': 'info', '@message': 'configured', '@timestamp': '2026-01-01T00:00:00.000000Z', keys: Object.keys(config).sort().join(',') }));
  }

  async getValues(prefixes: readonly string[]): Promise<KeyValues> {
    if (this.config.dieOn === 'getValues') process.kill(process.pid, 'SIGKILL');
    if (this.config.hangWhile && existsSync(this.config.hangWhile)) await never();
    if (prefixes.includes('/_host')) return { '/_host/vmhwm_kb': hostPeakMemoryKb() };
    if (this.config.slowMs) await new Promise((r) => setTimeout(r, Number(this.config.slowMs)));
    if (this.config.failWith) throw new Error(this.config.failWith);
    return pickUnder(this.read(), prefixes);
  }

  async *watchPrefix(prefix: string, _keys: readonly string[], signal: AbortSignal): AsyncIterable<void> {
    let last = JSON.stringify(pickUnder(this.read(), [prefix]));
    while (!signal.aborted) {
      await new Promise((r) => setTimeout(r, 100));
      const now = JSON.stringify(pickUnder(this.read(), [prefix]));
      if (now !== last) {
        last = now;
        yield;
      }
    }
  }

  async close(): Promise<void> {}

  private read(): KeyValues {
    return JSON.parse(readFileSync(this.config.dataFile, 'utf8')) as KeyValues;
  }
}

await serve({ database: new MemoryDatabase(), name: 'tsmem', version: '1.0.0' });
