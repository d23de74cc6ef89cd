/**
 * Writes one rendered file the way confd does, in this order (docs/sync.md):
 *
 *   1. compare — content, mode and owner against dest (a regular file, never followed)
 *   2. noop    — report (and diff) only
 *   3. stage   — `.<destbase>.<random>` next to dest, written and chowned/chmodded by
 *                handle, fsynced (stage-file.ts)
 *   4. check   — check_cmd with {{.src}} = the stage file; on failure dest is untouched
 *   5. replace — verify the stage name still names our inode, atomic rename onto dest
 *                (or an in-place rewrite for a bind-mounted dest), fsync the directory
 *   6. reload  — reload_cmd
 *
 * Steps after the rename are never allowed to cancel the reload: once dest holds the
 * new content, the next pass would see it "in sync" and never reload. A failed
 * directory fsync or `--keep-stage-file` copy is a warning.
 *
 * Every error path before the rename removes the stage file. An AbortSignal (shutdown)
 * kills a running check_cmd/reload_cmd's process group and removes the stage file.
 */
import { mkdir, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfdError, toConfdError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import { runCheck, runReload, type CommandObserver } from './commands.js';
import { changeReasons, readDest, type ChangeReason } from './compare.js';
import { unifiedDiff } from './diff.js';
import { writeInPlace } from './in-place.js';
import { resolveOwnership, type Ownership } from './owner.js';
import { removeStageFile, syncDirectory, verifyStageFile, writeStageFile, type StagedFile } from './stage-file.js';

export interface SyncTarget {
  /** Absolute destination path. */
  dest: string;
  /** File mode bits; undefined keeps the dest's current mode, or 0644 for a new file. */
  mode?: number;
  uid?: number;
  gid?: number;
  owner?: string;
  group?: string;
  checkCmd?: string;
  reloadCmd?: string;
  checkCmdTimeoutMs: number;
  reloadCmdTimeoutMs: number;
  makeDirectories: boolean;
  /** Names the resource in errors. */
  file?: string;
}

export interface SyncOptions {
  noop: boolean;
  diff: boolean;
  /** With `diff`: mask the values in changed lines (`--diff-redact`). */
  diffRedact?: boolean;
  syncOnly: boolean;
  keepStageFile: boolean;
  logger: Logger;
  diffOutput?: { write(text: string): unknown };
  color?: boolean;
  /** Shutdown: kills a running command's process group and removes the stage file. */
  signal?: AbortSignal;
  /**
   * `confd render --stdout`: print the rendered file under a header naming dest and the
   * resource, instead of syncing it. Nothing is written (not even a directory), no
   * command runs.
   */
  print?: { write(text: string): unknown };
  /** Told of every check_cmd and reload_cmd run (the daemon's metrics). */
  onCommand?: CommandObserver;
}

export interface SyncOutcome {
  changed: boolean;
  reasons: ChangeReason[];
  reloaded: boolean;
  diff?: string;
}

export async function syncFile(rendered: string, target: SyncTarget, options: SyncOptions): Promise<SyncOutcome> {
  const { dest } = target;
  // JSON logs carry the resource and dest as fields; text lines name dest in the message.
  const log = options.logger.withContext({ resource: target.file, dest });
  const content = Buffer.from(rendered, 'utf8');
  throwIfAborted(options.signal, dest);
  if (options.print) {
    options.print.write(`${printHeader(target)}\n${rendered}${rendered === '' || rendered.endsWith('\n') ? '' : '\n'}`);
    return { changed: false, reasons: [], reloaded: false };
  }
  await ensureDirectory(target);
  const owner = await resolveOwnership(target);
  const current = await readDest(dest);
  const mode = target.mode ?? (current && !current.symlink ? current.mode : 0o644);
  const reasons = changeReasons(current, content, mode, owner);

  if (reasons.length === 0 && !options.keepStageFile) {
    log.debug(`Target config ${dest} in sync`);
    return { changed: false, reasons, reloaded: false };
  }

  if (options.noop) {
    // noop writes nothing at all, not even a stage file.
    if (reasons.length === 0) return { changed: false, reasons, reloaded: false };
    log.warn(`Noop mode enabled. ${dest} will not be modified`, { changes: reasons.join(',') });
    let diff: string | undefined;
    if (options.diff) {
      diff = unifiedDiff(dest, current?.content.toString('utf8') ?? '', rendered, { color: options.color ?? false, redact: options.diffRedact });
      (options.diffOutput ?? process.stdout).write(diff);
    }
    return { changed: true, reasons, reloaded: false, diff };
  }

  const staged = await writeStageFile(dest, content, mode, owner);
  if (reasons.length === 0) {
    log.info(`Keeping staged file: ${staged.path}`);
    return { changed: false, reasons, reloaded: false };
  }
  log.withContext({ changes: reasons.join(',') }).info(`Target config ${dest} out of sync: ${reasons.join(', ')}`);
  try {
    if (!options.syncOnly && target.checkCmd) await runCheck(target.checkCmd, staged.path, target.checkCmdTimeoutMs, target, log, options);
    throwIfAborted(options.signal, dest);
    await replace(staged, dest, content, mode, owner);
  } catch (error) {
    // With --keep-stage-file a stage file that failed its check is kept for inspection,
    // unless confd is stopping.
    if (options.keepStageFile && !options.signal?.aborted) log.info(`Keeping staged file: ${staged.path}`);
    else await removeStageFile(staged.path);
    throw toConfdError(error, { file: dest, resource: target.file });
  }

  // dest now holds the new content: nothing below may prevent the reload.
  await afterReplace(dest, content, mode, owner, { ...options, logger: log });
  log.info(`Target config ${dest} has been updated`);

  let reloaded = false;
  if (!options.syncOnly && target.reloadCmd) {
    await runReload(target, log, options);
    reloaded = true;
  }
  return { changed: true, reasons, reloaded };
}

/** The line above each file `--stdout` prints: `==> <dest> <== (resource <conf.d file>)`. */
export function printHeader(target: SyncTarget): string {
  return `==> ${target.dest} <==${target.file ? ` (resource ${target.file})` : ''}`;
}

function throwIfAborted(signal: AbortSignal | undefined, dest: string): void {
  if (signal?.aborted) throw new ConfdError(`not writing ${dest}: confd is shutting down`, { file: dest });
}

async function ensureDirectory(target: SyncTarget): Promise<void> {
  const dir = dirname(target.dest);
  try {
    if ((await stat(dir)).isDirectory()) return;
  } catch {
    /* missing */
  }
  if (!target.makeDirectories) {
    throw new ConfdError(`the directory of ${target.dest} does not exist; create it or set make_directories = true`, {
      file: target.dest,
      resource: target.file,
    });
  }
  await mkdir(dir, { recursive: true, mode: 0o755 });
}

/** Atomic rename; a bind-mounted dest (EBUSY/EXDEV) is rewritten in place instead. */
async function replace(staged: StagedFile, dest: string, content: Buffer, mode: number, owner: Ownership): Promise<void> {
  await verifyStageFile(staged, dest);
  try {
    await rename(staged.path, dest);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EBUSY' && code !== 'EXDEV') throw error;
    // The stage file has served check_cmd; free its space before writing in place.
    await removeStageFile(staged.path);
    await writeInPlace(dest, content, mode, owner);
  }
}

/** Optional steps after dest is replaced: each failure is a warning, never an error. */
async function afterReplace(dest: string, content: Buffer, mode: number, owner: Ownership, options: SyncOptions): Promise<void> {
  const log = options.logger;
  try {
    await syncDirectory(dirname(dest));
  } catch (error) {
    log.warn(`${dest} was replaced, but its directory could not be fsynced (the rename may not survive a crash): ${(error as Error).message}`);
  }
  if (options.keepStageFile) {
    try {
      // A fresh copy, written by handle like any stage file: never a copy through a path
      // that someone else could have swapped for a symlink.
      const kept = await writeStageFile(dest, content, mode, owner);
      log.info(`Keeping staged file: ${kept.path}`);
    } catch (error) {
      log.warn(`cannot keep a copy of the staged file for ${dest}: ${formatCause(error)}`);
    }
  }
}

function formatCause(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
