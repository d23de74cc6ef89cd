/**
 * The private directory each plugin start gets under the temp dir:
 *
 *   confd-plugin-host-XXXXXX/   0700 (0711 when the plugin runs as another account)
 *     owner                     "<confd pid> <its start time>", so a later confd can
 *                               tell a directory whose owner is gone (SIGKILL) from a live one
 *     plugin/                   0700, owned by the plugin's account: PLUGIN_UNIX_SOCKET_DIR
 *                               and TMPDIR, where the plugin puts its socket
 *
 * `sweepStaleSocketDirs` removes directories whose owning confd process is gone.
 */
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../log/logger.js';
import type { Account } from './account.js';

export const SOCKET_DIR_PREFIX = 'confd-plugin-host-';
const OWNER_FILE = 'owner';

export interface SocketDir {
  root: string;
  /** Where the plugin may create its socket (PLUGIN_UNIX_SOCKET_DIR, TMPDIR). */
  pluginDir: string;
  remove(): Promise<void>;
}

/** A process's start time in clock ticks since boot (/proc/<pid>/stat field 22): tells a reused pid apart. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(pid: number, startTime: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = startTimeOf(pid);
  return startTime === undefined || now === undefined || now === startTime;
}

export async function createSocketDir(account?: Account): Promise<SocketDir> {
  const root = await mkdtemp(join(tmpdir(), SOCKET_DIR_PREFIX));
  const remove = () => rm(root, { recursive: true, force: true });
  try {
    await writeFile(join(root, OWNER_FILE), `${process.pid} ${startTimeOf(process.pid) ?? ''}\n`, { mode: 0o600, flag: 'wx' });
    const pluginDir = join(root, 'plugin');
    await mkdir(pluginDir, { mode: 0o700 });
    if (account) {
      // Traversable (not listable) by others, so exactly the plugin's account reaches its own 0700 dir.
      await chmod(root, 0o711);
      await chown(pluginDir, account.uid, account.gid);
    }
    return { root, pluginDir, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

let swept: Promise<void> | undefined;

/**
 * Removes socket directories left by confd processes that are gone (SIGKILL, a crash).
 * Only directories that are ours (same uid, a real directory, not a symlink) and that
 * carry an owner file naming a dead process; once per confd process.
 */
export function sweepStaleSocketDirs(logger: Logger): Promise<void> {
  swept ??= (async () => {
    const base = tmpdir();
    let names: string[];
    try {
      names = (await readdir(base)).filter((n) => n.startsWith(SOCKET_DIR_PREFIX));
    } catch {
      return;
    }
    for (const name of names) {
      const dir = join(base, name);
      try {
        const info = await lstat(dir);
        if (!info.isDirectory() || info.uid !== process.getuid?.()) continue;
        const [pidText, startTime] = (await readFile(join(dir, OWNER_FILE), 'utf8')).trim().split(' ');
        const pid = Number(pidText);
        if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid, startTime || undefined)) continue;
        await rm(dir, { recursive: true, force: true });
        logger.info(`removed stale plugin socket directory ${dir} (its confd process ${pid} is gone)`);
      } catch {
        /* no owner file (not ours, or an older confd), or gone meanwhile: leave it */
      }
    }
  })();
  return swept;
}
