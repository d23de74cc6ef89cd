/**
 * A plugin gets stdin, stdout and stderr and nothing else. Every descriptor confd opens
 * itself is close-on-exec (libuv), but one confd *inherited* without that flag (from a
 * shell, a supervisor, socket activation) would pass on to every plugin, and Node cannot
 * close descriptors between fork and exec. So before each spawn we find such
 * descriptors (Linux: /proc/self/fdinfo) and have the child's copy replaced by
 * /dev/null: the plugin never reaches what they point to.
 */
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import type { StdioOptions } from 'node:child_process';

const O_CLOEXEC = 0o2000000;

/** Descriptors ≥ 3 open in this process without close-on-exec; empty where /proc is absent. */
export function inheritableFds(): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc/self/fdinfo');
  } catch {
    return [];
  }
  const fds: number[] = [];
  for (const entry of entries) {
    const fd = Number(entry);
    if (!Number.isInteger(fd) || fd < 3) continue;
    try {
      const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
      if (flags !== undefined && (parseInt(flags, 8) & O_CLOEXEC) === 0) fds.push(fd);
    } catch {
      /* closed meanwhile (it was the directory handle itself) */
    }
  }
  return fds.sort((a, b) => a - b);
}

/** The stdio option for a plugin (three pipes), with every inheritable descriptor pointed at /dev/null. */
export function pluginStdio(): { stdio: StdioOptions; release(): void } {
  const leaking = inheritableFds();
  if (leaking.length === 0) return { stdio: ['pipe', 'pipe', 'pipe'], release: () => {} };
  const devNull = openSync('/dev/null', 'r');
  const stdio: StdioOptions = ['pipe', 'pipe', 'pipe'];
  for (let fd = 3; fd <= leaking[leaking.length - 1]; fd++) stdio.push(leaking.includes(fd) ? devNull : 'ignore');
  return { stdio, release: () => closeSync(devNull) };
}
