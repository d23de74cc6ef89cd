/** What response headers say about when to ask again: Cache-Control max-age, Age, Retry-After. */
import type { IncomingHttpHeaders } from 'node:http';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * How long the response stays fresh, in ms: `max-age` minus `Age`; 0 for `no-cache`,
 * `no-store` or no max-age (ask again at the poll interval).
 */
export function freshForMs(headers: IncomingHttpHeaders): number {
  const control = (header(headers, 'cache-control') ?? '').toLowerCase();
  const directives = control.split(',').map((d) => d.trim());
  if (directives.some((d) => d === 'no-cache' || d === 'no-store')) return 0;
  const maxAge = directives.map((d) => /^max-age=(\d+)$/.exec(d)).find(Boolean);
  if (!maxAge) return 0;
  const age = Number(header(headers, 'age') ?? 0) || 0;
  return Math.max(0, Number(maxAge[1]) - age) * 1000;
}

/** `Retry-After: <seconds>` or an HTTP date → ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(headers: IncomingHttpHeaders, now = Date.now()): number | undefined {
  const value = header(headers, 'retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** json/yaml/toml by media type; undefined when it says nothing useful (text/plain, octet-stream). */
export function formatOfContentType(contentType: string | undefined): 'json' | 'yaml' | 'toml' | undefined {
  const media = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (media === 'application/json' || media === 'text/json' || media.endsWith('+json')) return 'json';
  if (['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'].includes(media) || media.endsWith('+yaml')) return 'yaml';
  if (media === 'application/toml') return 'toml';
  return undefined;
}
