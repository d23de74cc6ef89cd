/**
 * Worker-thread entry: parses one large data file off the main thread, so a slow parse
 * never keeps confd from handling SIGTERM (see off-thread.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ConfdError } from '../../../src/errors.js';
import { parseDataText } from './parse.js';
import type { WorkerReply, WorkerRequest } from './off-thread.js';

const { path, text } = workerData as WorkerRequest;
let reply: WorkerReply;
try {
  reply = { ok: true, value: parseDataText(path, text) };
} catch (error) {
  reply = { ok: false, message: (error as Error).message, context: error instanceof ConfdError ? error.context : { file: path, backend: 'file' } };
}
parentPort!.postMessage(reply);
