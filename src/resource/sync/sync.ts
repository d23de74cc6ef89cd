/**
 * Writes one rendered file the way confd does, in this order:
 *
 *   1. stage   — write `.<destbase>.<random>` next to dest (0600), fsync, chmod, chown
 *   2. compare — content, mode and owner against dest
 *   3. noop    — report (and diff) only
 *   4. check   — check_cmd with {{.src}} = the stage file; on failure dest is untouched
 *   5. replace — atomic rename onto dest, fsync the directory
 *   6. reload  — reload_cmd
 *
 * Unchanged files are detected before staging, so a pass over 1000 unchanged
 * resources writes nothing.
 */
import { copyFile, mkdir, rename, rm, stat, writeFile, chmod, chown } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfdError, toConfdError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import { runCheck, runReload } from './commands.js';
import { changeReasons, readDest, type ChangeReason } from './compare.js';
import { unifiedDiff } from './diff.js';
import { resolveOwnership, type Ownership } from './owner.js';
import { syncDirectory, writeStageFile } from './stage-file.js';

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
  syncOnly: boolean;
  keepStageFile: boolean;
  logger: Logger;
  diffOutput?: { write(text: string): unknown };
  color?: boolean;
}

export interface SyncOutcome {
  changed: boolean;
  reasons: ChangeReason[];
  reloaded: boolean;
  diff?: string;
}

export async function syncFile(rendered: string, target: SyncTarget, options: SyncOptions): Promise<SyncOutcome> {
  const { dest } = target;
  const log = options.logger;
  const content = Buffer.from(rendered, 'utf8');
  await ensureDirectory(target);
  const owner = await resolveOwnership(target);
  const current = await readDest(dest);
  const mode = target.mode ?? current?.mode ?? 0o644;
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
      diff = unifiedDiff(dest, current?.content.toString('utf8') ?? '', rendered, options.color ?? false);
      (options.diffOutput ?? process.stdout).write(diff);
    }
    return { changed: true, reasons, reloaded: false, diff };
  }

  const stage = await writeStageFile(dest, content, mode, owner);
  try {
    if (reasons.length === 0) {
      log.info(`Keeping staged file: ${stage}`);
      return { changed: false, reasons, reloaded: false };
    }
    log.info(`Target config ${dest} out of sync: ${reasons.join(', ')}`);
    if (!options.syncOnly && target.checkCmd) await runCheck(target.checkCmd, stage, target.checkCmdTimeoutMs, target, log);
    await replace(stage, dest, content, mode, owner);
    if (options.keepStageFile) {
      await copyFile(dest, stage);
      log.info(`Keeping staged file: ${stage}`);
    }
  } catch (error) {
    if (!options.keepStageFile) await rm(stage, { force: true });
    throw toConfdError(error, { file: dest, resource: target.file });
  }
  log.info(`Target config ${dest} has been updated`);

  let reloaded = false;
  if (!options.syncOnly && target.reloadCmd) {
    await runReload(target, log);
    reloaded = true;
  }
  return { changed: true, reasons, reloaded };
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
async function replace(stage: string, dest: string, content: Buffer, mode: number, owner: Ownership): Promise<void> {
  try {
    await rename(stage, dest);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EBUSY' && code !== 'EXDEV') throw error;
    await writeFile(dest, content);
    await chmod(dest, mode);
    await chown(dest, owner.uid, owner.gid);
    await rm(stage, { force: true });
  }
  await syncDirectory(dirname(dest));
}
