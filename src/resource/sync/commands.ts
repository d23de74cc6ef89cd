/** check_cmd and reload_cmd: templated paths, a timeout, and errors that show the output. */
import { ConfdError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import { runShellCommand } from '../../process/run-command.js';
import { describeExit } from '../../process/exit-status.js';

/** Replaces `{{.src}}` / `{{ .dest }}` (any spacing) in a command. */
export function fillCommand(command: string, values: { src: string; dest: string }): string {
  return command.replace(/\{\{\s*\.(src|dest)\s*\}\}/g, (_, name: 'src' | 'dest') => values[name]);
}

/** Thrown when reload_cmd fails: dest is already written, so only the reload needs retrying. */
export class ReloadError extends ConfdError {
  constructor(message: string, dest: string, resource?: string) {
    super(message, { file: dest, resource });
    this.name = 'ReloadError';
  }
}

export interface CommandTarget {
  dest: string;
  file?: string;
}

/** One check_cmd or reload_cmd run, as reported to a CommandObserver (the daemon's metrics). */
export interface CommandRun {
  kind: 'check_cmd' | 'reload_cmd';
  dest: string;
  /** The resource's conf.d file. */
  resource?: string;
  ok: boolean;
  durationMs: number;
}

export type CommandObserver = (run: CommandRun) => void;

export interface CommandHooks {
  /** Shutdown: kills the command's process group. */
  signal?: AbortSignal;
  /** Told of every run. */
  onCommand?: CommandObserver;
}

async function run(kind: CommandRun['kind'], command: string, timeoutMs: number, target: CommandTarget, logger: Logger, hooks: CommandHooks): Promise<string | undefined> {
  logger.debug(`running ${kind} for ${target.dest}`, { command });
  const started = performance.now();
  const result = await runShellCommand(command, { timeoutMs, signal: hooks.signal });
  const ok = result.exitCode === 0 && !result.timedOut && !result.aborted;
  hooks.onCommand?.({ kind, dest: target.dest, resource: target.file, ok, durationMs: performance.now() - started });
  const output = result.output.trim();
  if (ok) {
    if (output) logger.debug(`${kind} output for ${target.dest}`, { output });
    return undefined;
  }
  const why = result.aborted
    ? 'was stopped because confd is shutting down'
    : result.timedOut
    ? `timed out after ${timeoutMs / 1000}s and was killed`
    : describeExit({ code: result.exitCode, signal: result.signal });
  return `${kind} ${JSON.stringify(command)} ${why}${output ? `: ${output}` : ''}`;
}

export async function runCheck(command: string, stage: string, timeoutMs: number, target: CommandTarget, logger: Logger, hooks: CommandHooks = {}): Promise<void> {
  const failure = await run('check_cmd', fillCommand(command, { src: stage, dest: target.dest }), timeoutMs, target, logger, hooks);
  if (failure) throw new ConfdError(`config check failed: ${failure}`, { file: target.dest, resource: target.file });
}

export interface ReloadTarget extends CommandTarget {
  reloadCmd?: string;
  reloadCmdTimeoutMs: number;
}

/**
 * Runs reload_cmd (exported so the daemon can retry a failed reload). When `hooks.signal`
 * aborts, the command's whole process group is killed and this throws a ReloadError.
 */
export async function runReload(target: ReloadTarget, logger: Logger, hooks: CommandHooks = {}): Promise<void> {
  if (!target.reloadCmd) return;
  const failure = await run('reload_cmd', fillCommand(target.reloadCmd, { src: target.dest, dest: target.dest }), target.reloadCmdTimeoutMs, target, logger, hooks);
  if (failure) throw new ReloadError(`reload failed: ${failure}`, target.dest, target.file);
}
