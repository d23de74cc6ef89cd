/** Reads typed options out of the Configure map (all strings), with errors naming the setting. */
import type { DatabaseConfig } from '../../src/database/database.js';
import { parseBoolean } from '../../src/config/coerce.js';
import { parseDuration } from '../../src/config/duration.js';
import { ConfdError } from '../../src/errors.js';

/** Milliseconds from a duration (`500ms`, `30s`, `1m`, or bare seconds); `fallbackMs` when unset. */
export function durationSetting(config: DatabaseConfig, key: string, fallbackMs: number, backend: string): number {
  const raw = config[key];
  if (raw === undefined || raw.trim() === '') return fallbackMs;
  const ms = parseDuration(raw);
  if (ms === undefined || ms <= 0) throw new ConfdError(`${key}: expected a duration such as 10s or 500ms, got ${JSON.stringify(raw)}`, { backend, setting: key });
  return ms;
}

export function booleanSetting(config: DatabaseConfig, key: string, backend: string): boolean {
  const raw = config[key] ?? '';
  const value = parseBoolean(raw);
  if (value === undefined) throw new ConfdError(`${key}: expected true or false, got ${JSON.stringify(raw)}`, { backend, setting: key });
  return value;
}

/** One of `choices` (case-insensitive); the first is the default when unset. */
export function choiceSetting<T extends string>(config: DatabaseConfig, key: string, choices: readonly T[], backend: string): T {
  const raw = (config[key] ?? '').trim().toLowerCase();
  if (raw === '') return choices[0];
  const found = choices.find((choice) => choice === raw);
  if (!found) throw new ConfdError(`${key}: expected ${choices.map((c) => `"${c}"`).join(' or ')}, got ${JSON.stringify(config[key])}`, { backend, setting: key });
  return found;
}
