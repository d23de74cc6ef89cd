/**
 * Re-logs a plugin's stderr under `plugin.<name>` at the level each line carries, with
 * bounds: a line is re-logged up to MAX_LOGGED_LINE bytes; more than MAX_LINES_PER_SECOND
 * lines a second are counted, not logged; and a line longer than MAX_LINE without a
 * newline means the plugin is broken or hostile: `onOverflow` (the launcher kills it).
 */
import type { Readable } from 'node:stream';
import type { Logger } from '../../log/logger.js';
import { parseLogLine } from '../protocol/hclog.js';
import { BoundedLineReader } from './bounded-lines.js';

/** go-plugin's stderr line buffer. */
export const MAX_LOGGED_LINE = 64 * 1024;
export const MAX_LINE = 1024 * 1024;
export const MAX_LINES_PER_SECOND = 1000;
const KEEP_LAST = 20;

export class StderrLog {
  /** The last lines, for errors such as "exited before the handshake". */
  readonly recent: string[] = [];
  private inPanic = false;
  private windowStart = 0;
  private linesInWindow = 0;
  private dropped = 0;

  constructor(
    stream: Readable,
    private readonly logger: Logger,
    onOverflow: (message: string) => void,
  ) {
    new BoundedLineReader(stream, MAX_LINE, {
      line: (line) => this.onLine(line),
      overflow: () => onOverflow(`printed a stderr line longer than ${MAX_LINE / 1024 / 1024} MiB`),
      end: () => this.reportDropped(),
    });
  }

  private onLine(raw: string): void {
    const line = raw.length > MAX_LOGGED_LINE ? `${raw.slice(0, MAX_LOGGED_LINE)}… (${raw.length - MAX_LOGGED_LINE} more characters)` : raw;
    this.recent.push(line.length > 1000 ? line.slice(0, 1000) + '…' : line);
    if (this.recent.length > KEEP_LAST) this.recent.shift();
    const parsed = parseLogLine(line, this.inPanic);
    this.inPanic = parsed.panic;
    if (this.rateLimited()) return;
    this.logger.log(parsed.level, parsed.message, parsed.fields);
  }

  /** True when this second's budget is spent; the dropped count is reported when the second ends. */
  private rateLimited(now = Date.now()): boolean {
    if (now - this.windowStart >= 1000) {
      this.reportDropped();
      this.windowStart = now;
      this.linesInWindow = 0;
    }
    if (++this.linesInWindow <= MAX_LINES_PER_SECOND) return false;
    if (this.dropped++ === 0) setTimeout(() => this.reportDropped(), this.windowStart + 1000 - now).unref();
    return true;
  }

  private reportDropped(): void {
    if (this.dropped === 0) return;
    this.logger.warn(`dropped ${this.dropped} stderr line(s): the plugin printed more than ${MAX_LINES_PER_SECOND} a second`);
    this.dropped = 0;
  }
}
