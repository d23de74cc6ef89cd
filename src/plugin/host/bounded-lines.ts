/**
 * Splits a plugin's output stream into lines without ever holding more than `maxLine`
 * bytes: readline buffers a whole line, so a plugin printing hundreds of megabytes
 * without a newline would grow the host without bound. Past the cap, `overflow` is
 * called once and the rest of the stream is discarded.
 */
import type { Readable } from 'node:stream';

export interface LineHandlers {
  line(text: string): void;
  /** A line grew past the cap: the caller decides (kill the plugin). */
  overflow(): void;
  /** The stream ended (the last unterminated line, if any, was delivered first). */
  end?(): void;
}

export class BoundedLineReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overflowed = false;
  private stopped = false;
  private readonly onData = (chunk: Buffer) => this.push(chunk);
  private readonly onEnd = () => this.finish();

  constructor(
    private readonly stream: Readable,
    private readonly maxLine: number,
    private readonly handlers: LineHandlers,
  ) {
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
  }

  /** Stops delivering lines; the stream keeps flowing (and is discarded) so the plugin never blocks on it. */
  stop(): void {
    this.stopped = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.resume();
  }

  private push(chunk: Buffer): void {
    let start = 0;
    while (!this.stopped && !this.overflowed && start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      if (this.pendingBytes + (end - start) > this.maxLine) {
        this.overflowed = true;
        this.pending = [];
        this.pendingBytes = 0;
        this.handlers.overflow();
        return;
      }
      // A copy: a view would keep the whole chunk alive.
      this.pending.push(Buffer.from(chunk.subarray(start, end)));
      this.pendingBytes += end - start;
      if (newline === -1) return;
      this.emit();
      start = newline + 1;
    }
  }

  private emit(): void {
    const text = Buffer.concat(this.pending, this.pendingBytes).toString('utf8').replace(/\r$/, '');
    this.pending = [];
    this.pendingBytes = 0;
    this.handlers.line(text);
  }

  private finish(): void {
    if (this.stopped) return;
    if (this.pendingBytes > 0 && !this.overflowed) this.emit();
    this.handlers.end?.();
  }
}
