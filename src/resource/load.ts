/**
 * Loads every template resource under `<confdir>/conf.d` (recursively, sorted):
 * `*.toml`, plus `*.yaml`/`*.yml` with the same schema. Each file yields either a
 * resource or an error with `file:line`; callers decide whether one bad file stops
 * everything (`render`) or only itself (`watch`, which keeps the last good version).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseStructuredText } from '../config/config-file.js';
import type { Settings } from '../config/settings.js';
import { ConfdError, toConfdError } from '../errors.js';
import { parseResource } from './parse-resource.js';
import type { TemplateResource } from './template-resource.js';

export interface LoadedResourceFile {
  file: string;
  resource?: TemplateResource;
  error?: ConfdError;
}

export interface LoadedResources {
  files: LoadedResourceFile[];
  warnings: string[];
  /** True when the confdir itself is missing (confd: warn and render nothing). */
  confdirMissing: boolean;
}

const RESOURCE_EXTENSIONS = new Set(['.toml', '.yaml', '.yml']);

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function listResourceFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string): Promise<void> => {
    const entries = await readdir(current, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && RESOURCE_EXTENSIONS.has(extname(entry.name).toLowerCase())) found.push(path);
    }
  };
  await walk(dir);
  return found;
}

export async function loadResourceFile(file: string, settings: Settings, warnings: string[]): Promise<LoadedResourceFile> {
  try {
    const text = await readFile(file, 'utf8');
    const document = parseStructuredText(file, text);
    const resource = parseResource(document, { file, text, settings, warn: (m) => warnings.push(m) });
    return { file, resource };
  } catch (error) {
    return { file, error: toConfdError(error, { file, resource: file }) };
  }
}

export async function loadResources(settings: Settings): Promise<LoadedResources> {
  const warnings: string[] = [];
  if (!(await isDirectory(settings.confdir))) {
    warnings.push(`cannot load template resources: confdir '${settings.confdir}' does not exist`);
    return { files: [], warnings, confdirMissing: true };
  }
  const confD = join(settings.confdir, 'conf.d');
  if (!(await isDirectory(confD))) {
    throw new ConfdError(`conf.d directory not found: ${confD}`, { file: confD });
  }
  const files: LoadedResourceFile[] = [];
  for (const file of await listResourceFiles(confD)) files.push(await loadResourceFile(file, settings, warnings));
  if (files.length === 0) warnings.push(`found no template resources in ${confD}`);
  return { files, warnings, confdirMissing: false };
}
