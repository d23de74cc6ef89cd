/** Converts a raw setting (from a flag, an env var or the config file) to its typed value. */
import { ConfdError } from '../errors.js';
import { parseLogLevel } from '../log/logger.js';
import { isTemplateEngineName, TEMPLATE_ENGINE_NAMES } from '../template/language.js';
import { parseDuration, parseWait } from './duration.js';
import type { OptionSpec } from './options.js';

/** Where a value came from, for error messages: `--interval`, `CONFD_INTERVAL`, or a file key. */
export interface ValueOrigin {
  setting: string;
  file?: string;
  line?: number;
}

export function parseBoolean(text: string): boolean | undefined {
  const v = text.trim().toLowerCase();
  if (['1', 't', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'f', 'false', 'no', 'off', ''].includes(v)) return false;
  return undefined;
}

function fail(origin: ValueOrigin, message: string): never {
  throw new ConfdError(`${origin.setting}: ${message}`, { setting: origin.setting, file: origin.file, line: origin.line });
}

export function coerceValue(spec: OptionSpec, raw: unknown, origin: ValueOrigin): unknown {
  switch (spec.kind) {
    case 'string':
      if (typeof raw === 'string') return raw;
      if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
      return fail(origin, `expected a string, got ${describe(raw)}`);
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const parsed = typeof raw === 'string' ? parseBoolean(raw) : undefined;
      return parsed ?? fail(origin, `expected true or false, got ${describe(raw)}`);
    }
    case 'list':
      if (Array.isArray(raw)) return raw.map((item) => (typeof item === 'string' ? item : fail(origin, `expected a list of strings, got ${describe(item)} in it`)));
      if (typeof raw === 'string') return raw.split(',').map((s) => s.trim()).filter(Boolean);
      return fail(origin, `expected a list of strings, got ${describe(raw)}`);
    case 'integer': {
      const n = typeof raw === 'number' || typeof raw === 'bigint' ? Number(raw) : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isInteger(n) || n <= 0) return fail(origin, `expected a whole number of seconds greater than 0, got ${describe(raw)}`);
      return n;
    }
    case 'duration': {
      const ms = typeof raw === 'string' || typeof raw === 'number' ? parseDuration(raw) : undefined;
      return ms ?? fail(origin, `expected a duration such as 30s or 1m, got ${describe(raw)}`);
    }
    case 'wait': {
      const wait = typeof raw === 'string' ? parseWait(raw) : typeof raw === 'number' ? parseWait(String(raw)) : undefined;
      return wait ?? fail(origin, `expected "min:max" durations such as "2s:10s" (max at least min), got ${describe(raw)}`);
    }
    case 'level': {
      const level = typeof raw === 'string' ? parseLogLevel(raw) : undefined;
      return level ?? fail(origin, `not a valid level: ${describe(raw)} (use trace, debug, info, warn or error)`);
    }
    case 'format':
      if (raw === 'text' || raw === 'json') return raw;
      return fail(origin, `expected text or json, got ${describe(raw)}`);
    case 'engine':
      if (isTemplateEngineName(raw)) return raw;
      return fail(origin, `expected ${TEMPLATE_ENGINE_NAMES.join(' or ')}, got ${describe(raw)}`);
  }
}

function describe(raw: unknown): string {
  return typeof raw === 'string' ? JSON.stringify(raw) : Array.isArray(raw) ? 'a list' : raw === null ? 'null' : typeof raw === 'object' ? 'a table' : String(raw);
}
