/**
 * Stream mode: one long-running command prints a new document after each change. The
 * latest complete document is what getValues returns; each new one is published to
 * the watch subscribers. If the command dies it is restarted with backoff (1 s, doubling
 * to 30 s; reset after a run that lasted longer than that).
 *
 * State after each event: a good document replaces the values; an unparseable document
 * or a non-zero exit makes reads fail (naming the command and the bad line) until the
 * next good document, so nothing is rendered from a broken stream. A clean exit (code 0)
 * keeps the last document.
 */
import type { KeyValues } from '../../../src/database/database.js';
import { ConfdError } from '../../../src/errors.js';
import { startProgram, type RunningProgram } from '../../../src/process/long-running.js';
import type { FormatSetting } from '../document/index.js';
import type { SnapshotFeeds } from '../snapshot-feeds.js';
import type { ExecCommand } from './command-line.js';
import { DocumentSplitter } from './document-splitter.js';
import { describeExit } from '../../../src/process/exit-status.js';
import { parseOutput, stderrHint } from './run-once.js';

const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

type State = { kind: 'waiting' } | { kind: 'document'; values: KeyValues } | { kind: 'failed'; error: ConfdError };

export class CommandStream {
  private state: State = { kind: 'waiting' };
  private program: RunningProgram | undefined;
  private started = false;
  private stopped = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private documentCount = 0;
  /** Woken on every state change. */
  private waiters = new Set<() => void>();

  constructor(
    private readonly command: ExecCommand,
    private readonly format: FormatSetting,
    private readonly feeds: SnapshotFeeds,
  ) {}

  /** The latest document; waits up to `timeoutMs` for the first one. */
  async current(timeoutMs: number): Promise<KeyValues> {
    this.start();
    if (this.state.kind === 'waiting') await this.changeOrTimeout(timeoutMs);
    const state = this.state as State;
    if (state.kind === 'document') return state.values;
    if (state.kind === 'failed') throw state.error;
    throw new ConfdError(`exec: stream command "${this.command.label}" printed no complete document within ${timeoutMs / 1000}s`, { backend: 'exec' });
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.spawn();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.program?.stop();
    this.wake();
  }

  private spawn(): void {
    const startedAt = Date.now();
    const program = startProgram(this.command.argv);
    this.program = program;
    const splitter = new DocumentSplitter(this.format === 'json' ? 'lines' : this.format === 'auto' ? 'auto' : 'separated');
    program.stdout.setEncoding('utf8');
    program.stdout.on('data', (chunk: string) => {
      for (const document of splitter.push(chunk)) this.document(document);
    });
    void program.exited.then((exit) => {
      if (this.program !== program) return;
      this.program = undefined;
      for (const document of splitter.end()) this.document(document);
      if (this.stopped) return;
      if (exit.error) this.fail(`exec: cannot run stream command "${this.command.label}": ${exit.error.message}`);
      else if (exit.exitCode !== 0) this.fail(`exec: stream command "${this.command.label}" ${describeExit({ code: exit.exitCode, signal: exit.signal })}${stderrHint(exit.stderr)}`);
      if (Date.now() - startedAt > MAX_BACKOFF_MS) this.failures = 0;
      const delay = Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** this.failures++);
      this.restartTimer = setTimeout(() => this.spawn(), delay);
    });
  }

  private document(text: string): void {
    this.documentCount++;
    try {
      const values = parseOutput(this.command, text, this.format, `printed document ${this.documentCount}:`);
      this.state = { kind: 'document', values };
      this.feeds.publish(values);
    } catch (error) {
      this.state = { kind: 'failed', error: error as ConfdError };
      this.feeds.wakeAll();
    }
    this.wake();
  }

  private fail(message: string): void {
    this.state = { kind: 'failed', error: new ConfdError(message, { backend: 'exec' }) };
    this.feeds.wakeAll();
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private changeOrTimeout(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }
}
