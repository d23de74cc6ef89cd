/**
 * Go `fmt` %v printing for values interpolated straight into a template, so ported
 * confd templates print what they printed under Go: `[a b]`, `{/a 1}`, `map[a:1]`,
 * floats as %g (`1e+07`). Lists stay real arrays so `#each` iterates them.
 */

/** A list that prints like a Go slice. */
export class GoList<T = unknown> extends Array<T> {
  static fromItems<T>(items: Iterable<T>): GoList<T> {
    const list = new GoList<T>();
    for (const item of items) list.push(item);
    return list;
  }

  override toString(): string {
    return `[${this.map(goFormat).join(' ')}]`;
  }
}

/** confd's KVPair: `.Key` and `.Value`, printed `{/a 1}`. */
export class KVPair {
  constructor(
    readonly Key: string,
    readonly Value: string,
  ) {}

  toString(): string {
    return `{${this.Key} ${this.Value}}`;
  }
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64), which %v uses for float64. */
export function formatGoFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  // Shortest round-trip digits, as Go's shortest formatting; %e when exp < -4 or >= 6.
  const [mantissa, expText] = n.toExponential().split('e');
  const exponent = Number(expText);
  if (exponent >= -4 && exponent < 6) return String(n);
  const abs = Math.abs(exponent);
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
}

/** Go %v of any value. */
export function goFormat(value: unknown): string {
  if (value === undefined) return '<no value>';
  if (value === null) return '<nil>';
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 1e6 ? String(value) : formatGoFloat(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof KVPair || value instanceof GoList || value instanceof GoMap || value instanceof GoFloat) return value.toString();
  if (Array.isArray(value)) return `[${value.map(goFormat).join(' ')}]`;
  if (value instanceof Date) return value.toString();
  if (typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${k}:${goFormat((value as Record<string, unknown>)[k])}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(value);
}

/** A JSON object that prints like a Go map[string]interface{} (sorted keys). */
export class GoMap {
  toString(): string {
    const entries = Object.keys(this).sort().map((k) => `${k}:${goFormat((this as unknown as Record<string, unknown>)[k])}`);
    return `map[${entries.join(' ')}]`;
  }
}

/** Turns parsed JSON into values that print like Go's json.Unmarshal results. */
export function toGoValue(value: unknown): unknown {
  if (Array.isArray(value)) return GoList.fromItems(value.map(toGoValue));
  if (value !== null && typeof value === 'object') {
    const map = new GoMap() as unknown as Record<string, unknown>;
    for (const key of Object.keys(value).sort()) map[key] = toGoValue((value as Record<string, unknown>)[key]);
    return map;
  }
  if (typeof value === 'number' && !(Number.isInteger(value) && Math.abs(value) < 1e6)) return new GoFloat(value);
  return value;
}

/**
 * A JSON number that prints like Go's float64 (`1e+07`) but still compares and does
 * arithmetic as a number (valueOf).
 */
export class GoFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return formatGoFloat(this.value);
  }
}
