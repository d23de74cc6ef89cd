/**
 * Exec (supervise) mode: `confd watch --exec "CMD ARGS"` runs one child for the
 * daemon's whole life, as consul-template's `exec` and remco's exec mode do.
 *
 *   start    after the first full successful pass; in its own process group, on
 *            confd's stdin, stdout and stderr
 *   reload   a pass replaced a dest: the reload signal goes to the child (the process
 *            itself, as a message to the program), or, with no reload signal, the child
 *            is stopped and started again
 *   stop     the signal (the kill signal for a restart; SIGTERM/SIGINT as forwarded
 *            from confd) goes to its process group; after the kill timeout, SIGKILL
 *   exit     when the child exits on its own, the daemon stops (plugins are cleaned up)
 *            and confd exits with the child's code (128 + signal number if a signal
 *            ended it); whatever the child left in its process group is killed
 */
import type { ChildProcess } from 'node:child_process';
import { ConfdError, formatError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics/index.js';
import { describeExit, shellExitCode, type ExitStatus } from '../process/exit-status.js';
import { killProcessGroup, signalProcess } from '../process/kill-group.js';
import { spawnSupervised } from '../process/spawn-group.js';
import { splitWords, WordSplitError } from '../process/split-words.js';

/** The child's argv from the `exec` setting (words, no shell; or an argv array); undefined when unset. */
export function execArgv(exec: string | readonly string[]): string[] | undefined {
  if (Array.isArray(exec)) return exec.length > 0 ? [...exec] : undefined;
  const text = (exec as string).trim();
  if (text === '') return undefined;
  try {
    return splitWords(text, `quote it, or run a shell that execs the program: --exec "sh -c 'exec …'"`);
  } catch (error) {
    if (!(error instanceof WordSplitError)) throw error;
    throw new ConfdError(`exec: ${JSON.stringify(text)}: ${error.message}`, { setting: 'exec' });
  }
}

export interface ExecChildOptions {
  argv: readonly string[];
  /** Sent on a change; empty: restart the child instead. */
  reloadSignal: NodeJS.Signals | '';
  killSignal: NodeJS.Signals;
  killTimeoutMs: number;
  logger: () => Logger;
  metrics: () => Metrics;
  /** The child exited on its own (not for a restart or a stop): confd exits with `code`. */
  exited(code: number): void;
}

/** Exit code of a child that could not be started (a shell's "command not found"). */
const CANNOT_START = 127;

export class ExecChild {
  private child: ChildProcess | undefined;
  private exit: Promise<ExitStatus> | undefined;
  /** Restarts and stops run one at a time. */
  private lane: Promise<void> = Promise.resolve();
  private stopping = false;
  /** Children being stopped on purpose (restart or stop): their exit does not end confd. */
  private readonly terminating = new Set<ChildProcess>();
  private lastCode: number | undefined;

  constructor(private readonly options: ExecChildOptions) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  /** The exit code of the last child, once one has exited. */
  get code(): number | undefined {
    return this.lastCode;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.stopping || this.child) return;
    const { argv } = this.options;
    const logger = this.options.logger().withContext({ exec: argv[0] });
    const child = spawnSupervised(argv);
    this.child = child;
    this.exit = new Promise<ExitStatus>((resolve) => {
      child.once('error', (error) => {
        logger.error(`exec: cannot start ${argv[0]}: ${formatError(error)}`);
        resolve({ code: CANNOT_START, signal: null });
      });
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    const exit = this.exit;
    void exit.then((status) => this.onExit(child, status));
    if (child.pid !== undefined) {
      logger.info(`exec: started ${argv.join(' ')} (pid ${child.pid})`);
      this.options.metrics().execChild('start');
    }
  }

  /** A dest changed: signal the child, or restart it when no reload signal is set. */
  reload(): Promise<void> {
    return this.serial(async () => {
      if (!this.child || this.stopping) return;
      const { reloadSignal } = this.options;
      if (reloadSignal) {
        this.options.logger().info(`exec: a dest changed; sending ${reloadSignal} to the child (pid ${this.child.pid})`);
        signalProcess(this.child.pid, reloadSignal);
        this.options.metrics().execChild('reload');
        return;
      }
      this.options.logger().info(`exec: a dest changed; restarting the child (pid ${this.child.pid})`);
      await this.terminate(this.options.killSignal);
      if (this.stopping) return;
      this.options.metrics().execChild('restart');
      this.start();
    });
  }

  /** Passes a signal confd received on to the child (SIGHUP: the process itself, like a reload signal). */
  forward(signal: NodeJS.Signals): void {
    if (!this.child) return;
    this.options.logger().info(`exec: forwarding ${signal} to the child (pid ${this.child.pid})`);
    signalProcess(this.child.pid, signal);
  }

  /**
   * Stops the child for good with `signal` (SIGKILL after the kill timeout) and resolves
   * with its exit code, or undefined when no child ran.
   */
  stop(signal: NodeJS.Signals = this.options.killSignal): Promise<number | undefined> {
    this.stopping = true;
    return this.serial(() => this.terminate(signal)).then(() => this.lastCode);
  }

  private serial(job: () => Promise<void>): Promise<void> {
    const run = this.lane.then(job);
    this.lane = run.catch(() => {});
    return run;
  }

  /** Sends `signal`, waits for the exit (SIGKILL to the group after the kill timeout). */
  private async terminate(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    const exit = this.exit;
    if (!child || !exit) return;
    this.terminating.add(child);
    killProcessGroup(child.pid, signal);
    const timer = setTimeout(() => {
      this.options.logger().warn(`exec: the child (pid ${child.pid}) did not exit within ${this.options.killTimeoutMs / 1000}s of ${signal}; killing it`);
      killProcessGroup(child.pid, 'SIGKILL');
    }, this.options.killTimeoutMs);
    await exit;
    clearTimeout(timer);
  }

  private onExit(child: ChildProcess, status: ExitStatus): void {
    // Whatever it left behind in its process group goes with it: no orphans.
    killProcessGroup(child.pid, 'SIGKILL');
    if (this.child !== child) return;
    this.child = undefined;
    this.exit = undefined;
    this.lastCode = shellExitCode(status);
    this.options.metrics().execChild('exit');
    const how = child.pid === undefined ? `could not be started` : describeExit(status);
    this.options.logger().info(`exec: the child (pid ${child.pid ?? '-'}) ${how}`);
    // A restart or a stop awaits this exit itself; only an exit of its own ends confd.
    const onPurpose = this.terminating.delete(child);
    if (!this.stopping && !onPurpose) this.options.exited(this.lastCode);
  }
}
