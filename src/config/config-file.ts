/**
 * Reads confd.toml (or confd.yaml/.yml with the same keys). Keys match confd's,
 * case-insensitively with `-` and `_` alike; `[backend_config]` holds options passed
 * verbatim to the backend's Configure. Unknown keys are reported, not silently dropped.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { parseDocument } from 'yaml';
import { ConfdError } from '../errors.js';
import { coerceValue } from './coerce.js';
import { nearestName } from '../util/nearest-name.js';
import { readNamedBackends } from './named-backends.js';
import { IGNORED_SETTINGS, normaliseFileKey, OPTIONS, type IgnoredSetting, type OptionSpec } from './options.js';
import { readPluginTables } from './plugin-settings.js';
import type { Settings } from './settings.js';

export interface ConfigFileValues {
  values: Partial<Settings>;
  /** `file:line: …` for keys we ignore (with the reason) and unknown keys (with the nearest known name). */
  warnings: string[];
}

const BACKEND_CONFIG = 'backend_config';
const SPEC_BY_KEY = new Map<string, OptionSpec>();
for (const spec of OPTIONS) for (const key of spec.fileKeys) SPEC_BY_KEY.set(normaliseFileKey(key), spec);
const IGNORED = new Map<string, IgnoredSetting>();
for (const ignored of IGNORED_SETTINGS) for (const key of ignored.fileKeys) IGNORED.set(normaliseFileKey(key), ignored);
/** Every key a file may hold, normalised, mapped to the spelling shown in suggestions. */
const KNOWN_KEYS = new Map<string, string>([[BACKEND_CONFIG, BACKEND_CONFIG]]);
for (const key of [...OPTIONS.flatMap((spec) => spec.fileKeys), ...IGNORED_SETTINGS.flatMap((ignored) => ignored.fileKeys)]) {
  if (!KNOWN_KEYS.has(normaliseFileKey(key))) KNOWN_KEYS.set(normaliseFileKey(key), key);
}

function unknownKeyWarning(where: string, key: string): string {
  const nearest = nearestName(normaliseFileKey(key), KNOWN_KEYS.keys());
  const hint = nearest ? ` (did you mean "${KNOWN_KEYS.get(nearest)}"?)` : '';
  return `${where}: unknown setting "${key}" ignored${hint}`;
}

/** Parses a TOML or YAML document into a plain object, with `file:line` on syntax errors. */
export function parseStructuredText(path: string, text: string): Record<string, unknown> {
  const ext = extname(path).toLowerCase();
  let data: unknown;
  if (ext === '.yaml' || ext === '.yml') {
    // merge: `<<: *base` works as YAML users expect. toJS keeps the library's alias
    // limit (maxAliasCount), so an alias bomb is an error, not a hang.
    const document = parseDocument(text, { uniqueKeys: true, merge: true });
    if (document.errors.length > 0) {
      const first = document.errors[0];
      throw new ConfdError(`invalid YAML: ${first.message.split('\n')[0]}`, { file: path, line: first.linePos?.[0].line, column: first.linePos?.[0].col });
    }
    try {
      data = document.toJS() ?? {};
    } catch (error) {
      // An alias to an anchor that is not set (yet), too many aliases, a bad merge.
      throw new ConfdError(`invalid YAML: ${(error as Error).message.split('\n')[0]}`, { file: path });
    }
  } else {
    try {
      data = parseToml(text);
    } catch (error) {
      const e = error as Error;
      const line = error instanceof TomlError ? error.line : undefined;
      const column = error instanceof TomlError ? error.column : undefined;
      throw new ConfdError(`invalid TOML: ${e.message.split('\n')[0]}`, { file: path, line, column });
    }
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfdError('expected a table of settings at the top level', { file: path });
  }
  return data as Record<string, unknown>;
}

/** 1-based line of the first `key =` / `key:` in the text, for error messages. */
export function findKeyLine(text: string, key: string): number | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^\\s*["']?${escaped}["']?\\s*[=:]`, 'i');
  const index = text.split('\n').findIndex((line) => pattern.test(line));
  return index >= 0 ? index + 1 : undefined;
}

/** 1-based line of a TOML table header (`[backends.etcd]`, `[backends.etcd.backend_config]`). */
export function findTableLine(text: string, dotted: string): number | undefined {
  const parts = dotted.split('.').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`^\\s*\\[\\s*${parts.join('\\s*\\.\\s*')}\\s*\\]`, 'i');
  const index = text.split('\n').findIndex((line) => pattern.test(line));
  return index >= 0 ? index + 1 : undefined;
}

export async function readConfigFile(path: string): Promise<ConfigFileValues> {
  const text = await readFile(path, 'utf8');
  const data = parseStructuredText(path, text);
  const values: Partial<Settings> = {};
  const warnings: string[] = [];
  for (const [key, raw] of Object.entries(data)) {
    const normalised = normaliseFileKey(key);
    if (normalised === BACKEND_CONFIG) {
      values.backendConfig = toStringMap(raw, path, findKeyLine(text, `[${key}`) ?? findKeyLine(text, key));
      continue;
    }
    if (normalised === 'plugins') {
      values.plugins = readPluginTables(raw, (k) => ({ file: path, line: findKeyLine(text, k) ?? findKeyLine(text, `[${key}`) }));
      continue;
    }
    if (normalised === 'backends') {
      const lineOf = (dotted: string) => findTableLine(text, dotted) ?? findKeyLine(text, dotted.split('.').pop()!);
      values.namedBackends = readNamedBackends(raw, path, lineOf, (table, setting, line) => toStringMap(table, path, line, setting));
      continue;
    }
    const line = findKeyLine(text, key);
    const where = line === undefined ? path : `${path}:${line}`;
    const spec = SPEC_BY_KEY.get(normalised);
    if (spec) {
      (values as Record<string, unknown>)[spec.field] = coerceValue(spec, raw, { setting: key, file: path, line });
      continue;
    }
    const ignored = IGNORED.get(normalised);
    warnings.push(ignored ? `${where}: "${key}" is a confd setting that is ignored here: ${ignored.reason}` : unknownKeyWarning(where, key));
  }
  return { values, warnings };
}

function toStringMap(raw: unknown, file: string, line: number | undefined, setting = 'backend_config'): Record<string, string> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfdError(`${setting}: expected a table of options`, { file, line, setting });
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (v !== null && typeof v === 'object') throw new ConfdError(`${setting}.${k}: expected a string, number or boolean`, { file, line, setting: `${setting}.${k}` });
    out[k] = String(v);
  }
  return out;
}
