/**
 * Go time formatting. `{{datetime}}` prints like Go's Time.String()
 * (`2026-11-22 11:57:50.357249529 +0000 UTC`, without the monotonic-clock suffix, which
 * is noise in a config file); `{{datetime "2006-01-02"}}` formats with a Go layout,
 * since Handlebars cannot call `.Format` on the value.
 */
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const two = (n: number) => String(n).padStart(2, '0');

interface Parts {
  year: number; month: number; day: number; hour: number; minute: number; second: number; nanos: number; weekday: number;
  /** Offset east of UTC, minutes. */
  offset: number;
}

function partsOf(date: Date, nanos: number, utc: boolean): Parts {
  if (utc) {
    return {
      year: date.getUTCFullYear(), month: date.getUTCMonth(), day: date.getUTCDate(), hour: date.getUTCHours(), minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(), nanos, weekday: date.getUTCDay(), offset: 0,
    };
  }
  const offset = -date.getTimezoneOffset();
  return {
    year: date.getFullYear(), month: date.getMonth(), day: date.getDate(), hour: date.getHours(), minute: date.getMinutes(),
    second: date.getSeconds(), nanos, weekday: date.getDay(), offset,
  };
}

function zoneName(p: Parts): string {
  return p.offset === 0 ? 'UTC' : formatOffset(p.offset, false, false);
}

function formatOffset(minutes: number, colon: boolean, zForUtc: boolean, seconds = false): string {
  if (zForUtc && minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const core = `${two(Math.floor(abs / 60))}${colon ? ':' : ''}${two(abs % 60)}`;
  return sign + core + (seconds ? `${colon ? ':' : ''}00` : '');
}

/** Layout tokens, longest first so `January` wins over `Jan` and `2006` over `2`. */
const TOKENS: Array<[string, (p: Parts) => string]> = [
  ['January', (p) => MONTHS[p.month]],
  ['Monday', (p) => DAYS[p.weekday]],
  ['Z07:00:00', (p) => formatOffset(p.offset, true, true, true)],
  ['-07:00:00', (p) => formatOffset(p.offset, true, false, true)],
  ['Z07:00', (p) => formatOffset(p.offset, true, true)],
  ['-07:00', (p) => formatOffset(p.offset, true, false)],
  ['Z0700', (p) => formatOffset(p.offset, false, true)],
  ['-0700', (p) => formatOffset(p.offset, false, false)],
  ['2006', (p) => String(p.year)],
  ['Jan', (p) => MONTHS[p.month].slice(0, 3)],
  ['Mon', (p) => DAYS[p.weekday].slice(0, 3)],
  ['MST', (p) => zoneName(p)],
  ['Z07', (p) => (p.offset === 0 ? 'Z' : formatOffset(p.offset, false, false).slice(0, 3))],
  ['-07', (p) => formatOffset(p.offset, false, false).slice(0, 3)],
  ['002', (p) => String(dayOfYear(p)).padStart(3, '0')],
  ['01', (p) => two(p.month + 1)],
  ['02', (p) => two(p.day)],
  ['_2', (p) => String(p.day).padStart(2, ' ')],
  ['15', (p) => two(p.hour)],
  ['03', (p) => two(p.hour % 12 || 12)],
  ['04', (p) => two(p.minute)],
  ['05', (p) => two(p.second)],
  ['06', (p) => two(p.year % 100)],
  ['PM', (p) => (p.hour >= 12 ? 'PM' : 'AM')],
  ['pm', (p) => (p.hour >= 12 ? 'pm' : 'am')],
  ['1', (p) => String(p.month + 1)],
  ['2', (p) => String(p.day)],
  ['3', (p) => String(p.hour % 12 || 12)],
  ['4', (p) => String(p.minute)],
  ['5', (p) => String(p.second)],
];

function dayOfYear(p: Parts): number {
  return Math.round((Date.UTC(p.year, p.month, p.day) - Date.UTC(p.year, 0, 1)) / 86_400_000) + 1;
}

export function formatGoLayout(date: Date, layout: string, nanos = date.getMilliseconds() * 1e6, utc = false): string {
  const p = partsOf(date, nanos, utc);
  let out = '';
  for (let i = 0; i < layout.length; ) {
    // Fractional seconds: .000 / .999 (trailing zeros dropped for 9s).
    const frac = /^[.,](0+|9+)/.exec(layout.slice(i));
    if (frac && !/\d/.test(layout[i + frac[0].length] ?? '')) {
      const digits = String(p.nanos).padStart(9, '0').slice(0, frac[1].length);
      const text = frac[1][0] === '9' ? digits.replace(/0+$/, '') : digits;
      out += text ? layout[i] + text : '';
      i += frac[0].length;
      continue;
    }
    const token = TOKENS.find(([t]) => layout.startsWith(t, i));
    if (token) {
      out += token[1](p);
      i += token[0].length;
    } else {
      out += layout[i++];
    }
  }
  return out;
}

/** The value `{{datetime}}` returns: Go's time.Time, printed as Time.String(). */
export class GoTime {
  readonly goTypeName = 'time.Time';
  constructor(
    readonly date: Date,
    readonly nanos: number,
    readonly utc = false,
  ) {}
  goString(): string {
    return formatGoLayout(this.date, '2006-01-02 15:04:05.999999999 -0700 MST', this.nanos, this.utc);
  }
  toString(): string {
    return this.goString();
  }
  parts(): { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number } {
    return partsOf(this.date, this.nanos, this.utc);
  }
  dayOfYear(): number {
    return dayOfYear(partsOf(this.date, this.nanos, this.utc));
  }
}

export { MONTHS, DAYS };

/** Now, with nanosecond digits from the high-resolution clock. */
export function now(): GoTime {
  const date = new Date();
  const sub = Number(process.hrtime.bigint() % 1_000_000n);
  return new GoTime(date, date.getMilliseconds() * 1_000_000 + sub);
}
