/** Re-logs a plugin's stderr under `plugin.<name>` at the level each line carries. */
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import type { Logger } from '../../log/logger.js';
import { parseLogLine } from '../protocol/hclog.js';

const MAX_LINE = 64 * 1024;
const KEEP_LAST = 20;

export class StderrLog {
  /** The last lines, for errors such as "exited before the handshake". */
  readonly recent: string[] = [];
  private inPanic = false;

  constructor(stream: Readable, private readonly logger: Logger) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.onLine(line));
  }

  private onLine(raw: string): void {
    const line = raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw;
    this.recent.push(line);
    if (this.recent.length > KEEP_LAST) this.recent.shift();
    const parsed = parseLogLine(line, this.inPanic);
    this.inPanic = parsed.panic;
    this.logger.log(parsed.level, parsed.message, parsed.fields);
  }
}
