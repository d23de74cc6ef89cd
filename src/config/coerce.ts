/** Converts a raw setting (from a flag, an env var or the config file) to its typed value. */
import { constants } from 'node:os';
import { ConfdError } from '../errors.js';
import { parseLogLevel } from '../log/logger.js';
import { parseDuration, parseWait } from './duration.js';
import { parseSize } from './size.js';
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
      const n = wholeNumber(raw);
      // 0 is allowed: `--interval 0` turns watch mode's periodic pass off (docs/watch.md).
      if (!Number.isInteger(n) || n < 0) return fail(origin, `expected a whole number of seconds (0 or more), got ${describe(raw)}`);
      return n;
    }
    case 'count': {
      const n = wholeNumber(raw);
      if (!Number.isSafeInteger(n) || n < 0) return fail(origin, `expected a whole number (0 or more), got ${describe(raw)}`);
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
    case 'command':
      // A string, or (in the config file) an array: the argv, run without a shell.
      if (typeof raw === 'string') return raw;
      if (Array.isArray(raw) && raw.length > 0 && raw.every((item) => typeof item === 'string')) return raw;
      return fail(origin, `expected a command string or a non-empty list of strings, got ${describe(raw)}`);
    case 'choice': {
      const choices = spec.choices ?? [];
      if (typeof raw === 'string' && choices.includes(raw)) return raw;
      return fail(origin, `expected ${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}, got ${describe(raw)}`);
    }
    case 'signal': {
      const signal = typeof raw === 'string' ? parseSignalName(raw) : undefined;
      return signal ?? fail(origin, `expected a signal name such as SIGHUP or HUP (empty: none), got ${describe(raw)}`);
    }
    case 'size': {
      const bytes = typeof raw === 'string' || typeof raw === 'number' ? parseSize(raw) : undefined;
      return bytes ?? fail(origin, `expected a size such as 256MiB, 64KiB or a number of bytes, got ${describe(raw)}`);
    }
  }
}

/** `HUP`, `sighup` or `SIGHUP` → `SIGHUP`; `''` (none) stays `''`; undefined for an unknown name. */
export function parseSignalName(text: string): NodeJS.Signals | '' | undefined {
  const name = text.trim().toUpperCase();
  if (name === '') return '';
  const full = name.startsWith('SIG') ? name : `SIG${name}`;
  return Object.hasOwn(constants.signals, full) ? (full as NodeJS.Signals) : undefined;
}

/** A number, bigint or digit string as a number; NaN for anything else. */
function wholeNumber(raw: unknown): number {
  if (typeof raw === 'number' || typeof raw === 'bigint') return Number(raw);
  return typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
}

function describe(raw: unknown): string {
  return typeof raw === 'string' ? JSON.stringify(raw) : Array.isArray(raw) ? 'a list' : raw === null ? 'null' : typeof raw === 'object' ? 'a table' : String(raw);
}
