/** A named pipe a test writes documents into, for exec stream commands that `cat` it. */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class Fifo {
  readonly dir = mkdtempSync(join(tmpdir(), 'confd-exec-fifo-'));
  readonly path = join(this.dir, 'stream');
  private writer: FileHandle | undefined;

  constructor() {
    execFileSync('mkfifo', [this.path]);
  }

  /** Opening for write waits until a reader (the stream command) has the FIFO open. */
  async write(text: string): Promise<void> {
    this.writer ??= await open(this.path, 'w');
    await this.writer.write(text);
  }

  /** EOF for the reader: `cat` exits. */
  async close(): Promise<void> {
    await this.writer?.close();
    this.writer = undefined;
  }

  async remove(): Promise<void> {
    // A write still waiting for a reader would hold a thread forever: give it one.
    closeSync(openSync(this.path, constants.O_RDONLY | constants.O_NONBLOCK));
    await this.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

