/**
 * Flattens parsed YAML/JSON/TOML into confd keys: maps join their keys, arrays their
 * indexes (`/a/0/b`). Scalars are stringified as confd does (Go's yaml.v2 walk):
 * integers in decimal, floats without exponent (`1e6` → `1000000`), booleans
 * `true`/`false`; null is skipped.
 *
 * Keys are joined verbatim, not cleaned: a data key `../db` must not move its subtree
 * elsewhere. The render pass cleans every key and drops those with `..` segments
 * (src/resource/key-scope.ts). Nesting is bounded by the parser (parse.ts).
 */
function child(base: string, segment: string): string {
  return base === '/' ? `/${segment}` : `${base}/${segment}`;
}

export function flatten(data: unknown, into: Record<string, string> = {}, base = '/'): Record<string, string> {
  if (data === null || data === undefined) return into;
  if (Array.isArray(data)) {
    data.forEach((item, index) => flatten(item, into, child(base, String(index))));
  } else if (data instanceof Date) {
    into[base] = data.toISOString();
  } else if (typeof data === 'object') {
    for (const [key, value] of Object.entries(data as Record<string, unknown>)) flatten(value, into, child(base, key));
  } else if (typeof data === 'number') {
    into[base] = formatNumber(data);
  } else if (typeof data === 'bigint') {
    into[base] = data.toString();
  } else {
    into[base] = String(data);
  }
  return into;
}

/** Go's strconv.FormatFloat(f, 'f', -1, 64): shortest digits, never an exponent. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  const text = String(n);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, fraction = '', exponentText] = match;
  const digits = lead + fraction;
  const exponent = Number(exponentText);
  if (exponent >= 0) {
    const whole = digits.padEnd(exponent + 1, '0');
    const intPart = whole.slice(0, exponent + 1);
    const fracPart = whole.slice(exponent + 1);
    return sign + intPart + (fracPart ? '.' + fracPart : '');
  }
  return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
}
