/**
 * Large data files are parsed in a worker thread: YAML parses at about 1 MB/s, and a
 * parse on the main thread would keep confd from handling SIGTERM until it ends. When
 * confd exits, the worker goes with it. Small files (and runs from the TypeScript
 * sources, where no compiled worker exists) are parsed inline.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConfdError, type ErrorContext } from '../../../src/errors.js';

/** Below this, an inline parse takes a moment at most. */
export const OFF_THREAD_BYTES = 256 * 1024;

export interface WorkerRequest {
  path: string;
  text: string;
}

export type WorkerReply = { ok: true; value: unknown } | { ok: false; message: string; context: ErrorContext };

/** The compiled worker next to this module (dist/builtin/… or, bundled, dist/bundle/). */
function workerPath(): string | undefined {
  const path = fileURLToPath(new URL('./parse-worker.js', import.meta.url));
  return existsSync(path) ? path : undefined;
}

export function shouldParseOffThread(text: string): boolean {
  return text.length >= OFF_THREAD_BYTES && workerPath() !== undefined;
}

export function parseInWorker(path: string, text: string): Promise<unknown> {
  const request: WorkerRequest = { path, text };
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerPath()!, { workerData: request });
    // An idle confd must be able to exit while a parse runs (SIGTERM → process.exit).
    worker.unref();
    worker.once('message', (reply: WorkerReply) => {
      if (reply.ok) resolve(reply.value);
      else reject(new ConfdError(reply.message, reply.context));
    });
    worker.once('error', (error) => reject(new ConfdError(`parsing data file failed: ${error.message}`, { file: path, backend: 'file' })));
    worker.once('exit', (code) => {
      if (code !== 0) reject(new ConfdError(`parsing data file stopped (worker exit ${code})`, { file: path, backend: 'file' }));
    });
  });
}
