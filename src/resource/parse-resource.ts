/**
 * Validates one `[template]` table (TOML) or `template:` map (YAML) into a
 * TemplateResource. Field names match confd's, case-insensitively.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { findKeyLine } from '../config/config-file.js';
import { parseDuration, parseWait } from '../config/duration.js';
import type { Settings } from '../config/settings.js';
import { backendNames } from '../config/named-backends.js';
import { DEFAULT_BACKEND } from '../config/settings.js';
import { joinKey } from '../database/key-path.js';
import { ConfdError } from '../errors.js';
import { isTemplateEngineName, TEMPLATE_ENGINE_NAMES } from '../config/template-engine.js';
import type { TemplateResource } from './template-resource.js';

const KNOWN_FIELDS = new Set([
  'src', 'dest', 'keys', 'prefix', 'mode', 'uid', 'gid', 'owner', 'group', 'check_cmd', 'reload_cmd',
  'make_directories', 'check_cmd_timeout', 'reload_cmd_timeout', 'wait', 'min_keys', 'backend', 'backends', 'engine',
]);

export const DEFAULT_CHECK_TIMEOUT_MS = 30_000;
export const DEFAULT_RELOAD_TIMEOUT_MS = 60_000;

/** A file mode string is octal with or without a leading 0 (`"644"`, `"0644"`, `"0o644"`). */
export function parseMode(text: string): number | undefined {
  const match = /^(?:0o|0)?([0-7]{1,4})$/i.exec(text.trim());
  if (!match) return undefined;
  const mode = parseInt(match[1], 8);
  return mode <= 0o7777 ? mode : undefined;
}

export interface ParseContext {
  file: string;
  text: string;
  settings: Settings;
  warn(message: string): void;
}

export function parseResource(document: Record<string, unknown>, ctx: ParseContext): TemplateResource {
  const tableKey = Object.keys(document).find((k) => k.toLowerCase() === 'template');
  const table = tableKey === undefined ? undefined : document[tableKey];
  if (table === null || typeof table !== 'object' || Array.isArray(table)) {
    throw new ConfdError('missing [template] table', { file: ctx.file, resource: ctx.file });
  }
  const fields = new Map<string, { key: string; value: unknown }>();
  for (const [key, value] of Object.entries(table as Record<string, unknown>)) {
    const name = key.toLowerCase();
    if (!KNOWN_FIELDS.has(name)) ctx.warn(`${ctx.file}:${findKeyLine(ctx.text, key) ?? 1}: unknown field "${key}" in [template] ignored`);
    fields.set(name, { key, value });
  }

  const fail = (field: string, message: string): never => {
    const key = fields.get(field)?.key ?? field;
    throw new ConfdError(`${field}: ${message}`, { file: ctx.file, line: findKeyLine(ctx.text, key), resource: ctx.file, setting: field });
  };
  const str = (field: string): string | undefined => {
    const v = fields.get(field)?.value;
    if (v === undefined) return undefined;
    return typeof v === 'string' ? v : fail(field, `expected a string, got ${typeof v}`);
  };
  const int = (field: string): number | undefined => {
    const v = fields.get(field)?.value;
    if (v === undefined) return undefined;
    const n = typeof v === 'bigint' ? Number(v) : v;
    return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : fail(field, `expected a whole number, got ${JSON.stringify(v)}`);
  };
  const bool = (field: string): boolean | undefined => {
    const v = fields.get(field)?.value;
    if (v === undefined) return undefined;
    return typeof v === 'boolean' ? v : fail(field, `expected true or false, got ${JSON.stringify(v)}`);
  };
  const duration = (field: string, fallback: number): number => {
    const v = fields.get(field)?.value;
    if (v === undefined) return fallback;
    const ms = typeof v === 'string' || typeof v === 'number' ? parseDuration(v) : undefined;
    return ms ?? fail(field, `expected a duration such as "30s", got ${JSON.stringify(v)}`);
  };

  const src = str('src');
  if (!src) fail('src', 'is required (the template file, relative to <confdir>/templates)');
  const dest = str('dest');
  if (!dest) fail('dest', 'is required (the file to write)');

  const keysValue = fields.get('keys')?.value ?? [];
  if (!Array.isArray(keysValue) || keysValue.some((k) => typeof k !== 'string')) fail('keys', 'expected a list of strings');
  const prefix = joinKey('/', str('prefix') ?? '');
  const keys = [...new Set((keysValue as string[]).map((key) => joinKey(prefix, key)))];

  const modeText = str('mode');
  let mode: number | undefined;
  if (modeText !== undefined && modeText !== '') {
    mode = parseMode(modeText);
    if (mode === undefined) fail('mode', `invalid file mode ${JSON.stringify(modeText)}: expected octal digits such as "0644"`);
  }

  const waitText = fields.get('wait')?.value;
  let wait: TemplateResource['wait'];
  if (waitText !== undefined) {
    wait = typeof waitText === 'string' || typeof waitText === 'number' ? parseWait(String(waitText)) : undefined;
    if (!wait) fail('wait', `expected "min:max" durations such as "2s:10s", got ${JSON.stringify(waitText)}`);
  }

  const backends = chooseBackends(fields.get('backend')?.value, fields.get('backends')?.value, backendNames(ctx.settings), fail);
  const engineText = str('engine') ?? ctx.settings.templateEngine;
  const engine = isTemplateEngineName(engineText) ? engineText : fail('engine', `expected ${TEMPLATE_ENGINE_NAMES.join(' or ')}, got ${JSON.stringify(engineText)}`);

  const templateDir = join(ctx.settings.confdir, 'templates');
  return {
    file: ctx.file,
    // As in confd, src is always under <confdir>/templates, even when written absolute.
    src: join(templateDir, src!),
    engine,
    dest: isAbsolute(dest!) ? dest! : resolve(dest!),
    prefix,
    keys,
    backends,
    mode,
    uid: int('uid'),
    gid: int('gid'),
    owner: str('owner') || undefined,
    group: str('group') || undefined,
    checkCmd: str('check_cmd') || undefined,
    reloadCmd: str('reload_cmd') || undefined,
    makeDirectories: bool('make_directories') ?? false,
    checkCmdTimeoutMs: duration('check_cmd_timeout', DEFAULT_CHECK_TIMEOUT_MS),
    reloadCmdTimeoutMs: duration('reload_cmd_timeout', DEFAULT_RELOAD_TIMEOUT_MS),
    wait,
    minKeys: int('min_keys') ?? ctx.settings.minKeys,
  };
}

/** `backend = "x"` or `backends = ["x", "y"]` (not both), each a known backend; `default` when neither. */
function chooseBackends(one: unknown, several: unknown, known: readonly string[], fail: (field: string, message: string) => never): string[] {
  if (one !== undefined && several !== undefined) fail('backends', 'set either backend or backends, not both');
  let names: string[];
  if (one !== undefined) {
    if (typeof one !== 'string' || one === '') fail('backend', 'expected the name of a backend');
    names = [one as string];
  } else if (several !== undefined) {
    if (!Array.isArray(several) || several.length === 0 || several.some((n) => typeof n !== 'string' || n === '')) fail('backends', 'expected a list of backend names');
    names = [...new Set(several as string[])];
  } else {
    return [DEFAULT_BACKEND];
  }
  const field = one !== undefined ? 'backend' : 'backends';
  for (const name of names) {
    if (!known.includes(name)) fail(field, `unknown backend "${name}" (backends: ${known.join(', ')}; define others with [backends.<name>] in confd.toml)`);
  }
  return names;
}
