/** Durations as users write them: `500ms`, `30s`, `1m30s`, `2h`, or a bare number of seconds. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Returns milliseconds, or undefined when `text` is not a duration. */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text * 1000 : undefined;
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const parts = trimmed.match(/(\d+(?:\.\d+)?)(ms|s|m|h)/g);
  if (!parts || parts.join('') !== trimmed) return undefined;
  let total = 0;
  for (const part of parts) {
    const [, amount, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(part)!;
    total += Number(amount) * UNIT_MS[unit];
  }
  return total;
}

/**
 * consul-template's `wait = "min:max"`: every change snoozes the render by min, the
 * total delay never exceeds max; max defaults to 4×min when only min is given.
 */
export function parseWait(text: string): { minMs: number; maxMs: number } | undefined {
  const [minText, maxText, extra] = text.split(':');
  if (extra !== undefined) return undefined;
  const minMs = parseDuration(minText);
  if (minMs === undefined) return undefined;
  const maxMs = maxText === undefined || maxText.trim() === '' ? minMs * 4 : parseDuration(maxText);
  if (maxMs === undefined || maxMs < minMs) return undefined;
  return { minMs, maxMs };
}

/** `30s`, `500ms`, `1.5s`, `2m`: the inverse of parseDuration, for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 100) / 10}s`;
}
