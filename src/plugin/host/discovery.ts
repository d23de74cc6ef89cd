/**
 * Finds `confd-database-<name>` executables, in this order: each `--plugin-dir`, the
 * directory of the confd install, then PATH. The working directory is searched only
 * when listed with --plugin-dir: only absolute PATH entries are searched (an empty,
 * `.`, `./` or `bin` entry would mean the working directory or below it), so a plugin
 * planted there is never run by accident.
 */
import { constants } from 'node:fs';
import { access, readdir, realpath, stat } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { PLUGIN_PREFIX } from '../protocol/constants.js';

export interface FoundPlugin {
  name: string;
  path: string;
  dir: string;
  /** Another plugin of the same name, or a built-in, is found first. */
  shadowedBy?: string;
}

export function pluginSearchDirs(pluginDirs: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = pluginDirs.map((d) => resolve(d));
  const script = process.argv[1];
  if (script) dirs.push(dirname(resolve(script)));
  for (const entry of (env.PATH ?? '').split(delimiter)) {
    if (!isAbsolute(entry)) continue;
    dirs.push(resolve(entry));
  }
  return [...new Set(dirs)];
}

/** `confd-database-redis` and `confd-database-redis.py` both name `redis`. */
export function pluginNameOf(fileName: string): string | undefined {
  if (!fileName.startsWith(PLUGIN_PREFIX)) return undefined;
  const name = fileName.slice(PLUGIN_PREFIX.length).split('.')[0];
  return name === '' ? undefined : name;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function pluginsIn(dir: string): Promise<FoundPlugin[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return [];
  }
  const found: FoundPlugin[] = [];
  for (const file of names) {
    const name = pluginNameOf(file);
    if (name && (await isExecutableFile(join(dir, file)))) found.push({ name, path: join(dir, file), dir });
  }
  return found;
}

/** Every plugin in search order, with later ones of the same name marked shadowed. */
export async function listPlugins(dirs: readonly string[], builtinNames: readonly string[] = []): Promise<FoundPlugin[]> {
  const all: FoundPlugin[] = [];
  const first = new Map<string, string>();
  for (const name of builtinNames) first.set(name, `built-in ${name}`);
  for (const dir of dirs) {
    for (const plugin of await pluginsIn(dir)) {
      const winner = first.get(plugin.name);
      if (winner) plugin.shadowedBy = winner;
      else first.set(plugin.name, plugin.path);
      all.push(plugin);
    }
  }
  return all;
}

export async function findPlugin(name: string, dirs: readonly string[]): Promise<string | undefined> {
  for (const dir of dirs) {
    const match = (await pluginsIn(dir)).find((p) => p.name === name);
    if (match) return match.path;
  }
  return undefined;
}

/** The real path of an explicitly given plugin path, or an error message. */
export async function checkPluginPath(path: string): Promise<string | undefined> {
  try {
    const real = await realpath(path);
    return (await isExecutableFile(real)) ? undefined : 'is not an executable file';
  } catch {
    return 'does not exist';
  }
}
