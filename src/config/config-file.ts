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
import { IGNORED_FILE_KEYS, normaliseFileKey, OPTIONS, type OptionSpec } from './options.js';
import { readPluginTables } from './plugin-settings.js';
import type { Settings } from './settings.js';

export interface ConfigFileValues {
  values: Partial<Settings>;
  /** Keys that mean nothing to us, for a warning. */
  unknownKeys: string[];
}

const SPEC_BY_KEY = new Map<string, OptionSpec>();
for (const spec of OPTIONS) for (const key of spec.fileKeys) SPEC_BY_KEY.set(normaliseFileKey(key), spec);
const IGNORED = new Set(IGNORED_FILE_KEYS.map(normaliseFileKey));

/** Parses a TOML or YAML document into a plain object, with `file:line` on syntax errors. */
export function parseStructuredText(path: string, text: string): Record<string, unknown> {
  const ext = extname(path).toLowerCase();
  let data: unknown;
  if (ext === '.yaml' || ext === '.yml') {
    const document = parseDocument(text, { uniqueKeys: true });
    if (document.errors.length > 0) {
      const first = document.errors[0];
      throw new ConfdError(`invalid YAML: ${first.message.split('\n')[0]}`, { file: path, line: first.linePos?.[0].line, column: first.linePos?.[0].col });
    }
    data = document.toJS() ?? {};
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

export async function readConfigFile(path: string): Promise<ConfigFileValues> {
  const text = await readFile(path, 'utf8');
  const data = parseStructuredText(path, text);
  const values: Partial<Settings> = {};
  const unknownKeys: string[] = [];
  for (const [key, raw] of Object.entries(data)) {
    const normalised = normaliseFileKey(key);
    if (normalised === 'backend_config') {
      values.backendConfig = toStringMap(raw, path, findKeyLine(text, `[${key}`) ?? findKeyLine(text, key));
      continue;
    }
    if (normalised === 'plugins') {
      values.plugins = readPluginTables(raw, (k) => ({ file: path, line: findKeyLine(text, k) ?? findKeyLine(text, `[${key}`) }));
      continue;
    }
    const spec = SPEC_BY_KEY.get(normalised);
    if (!spec) {
      if (!IGNORED.has(normalised)) unknownKeys.push(key);
      continue;
    }
    const value = coerceValue(spec, raw, { setting: key, file: path, line: findKeyLine(text, key) });
    (values as Record<string, unknown>)[spec.field] = value;
  }
  return { values, unknownKeys };
}

function toStringMap(raw: unknown, file: string, line: number | undefined): Record<string, string> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfdError('backend_config: expected a table of options', { file, line, setting: 'backend_config' });
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (v !== null && typeof v === 'object') throw new ConfdError(`backend_config.${k}: expected a string, number or boolean`, { file, line, setting: `backend_config.${k}` });
    out[k] = String(v);
  }
  return out;
}
