/**
 * Go's strconv.FormatFloat(f, fmt, prec, 64) for the formats fmt uses: e E f F g G b x X.
 * Fixed precision rounds the exact binary value half to even, as Go does (JS's toFixed
 * rounds 2.5 up; Go prints 2); the shortest form uses JS's shortest round-trip digits,
 * which are the same digits Go's shortest algorithm finds.
 */

/** Decimal digits without leading or trailing zeros; value = 0.digits × 10^point. */
interface Decimal {
  digits: string;
  point: number;
}

const view = new DataView(new ArrayBuffer(8));

/** The IEEE-754 parts: mantissa with the implicit bit, and the unbiased binary exponent of bit 52. */
function bitsOf(v: number): { mant: bigint; exp: number } {
  view.setFloat64(0, Math.abs(v));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp = biased - 1023;
  if (biased === 0) exp = -1022;
  else mant |= 1n << 52n;
  return { mant, exp };
}

function trimZeros(d: Decimal): Decimal {
  let end = d.digits.length;
  while (end > 0 && d.digits[end - 1] === '0') end--;
  return end === d.digits.length ? d : { digits: d.digits.slice(0, end), point: d.point };
}

/** The exact decimal expansion of |v| (every double has one). */
function exactDecimal(v: number): Decimal {
  if (v === 0) return { digits: '', point: 0 };
  const { mant, exp } = bitsOf(v);
  const shift = exp - 52;
  if (shift >= 0) {
    const digits = (mant << BigInt(shift)).toString();
    return trimZeros({ digits, point: digits.length });
  }
  const digits = (mant * 5n ** BigInt(-shift)).toString();
  return trimZeros({ digits, point: digits.length + shift });
}

/** The shortest digits that read back as |v|. */
function shortestDecimal(v: number): Decimal {
  if (v === 0) return { digits: '', point: 0 };
  const [mantissa, exponent] = Math.abs(v).toExponential().split('e');
  return trimZeros({ digits: mantissa.replace('.', ''), point: Number(exponent) + 1 });
}

/** Rounds to `count` significant digits, half to even on exact ties. */
function roundTo(d: Decimal, count: number): Decimal {
  if (count < 0) return { digits: '', point: d.point };
  if (count >= d.digits.length) return d;
  const next = d.digits.charCodeAt(count) - 48;
  let up = next > 5;
  if (next === 5) up = count + 1 < d.digits.length || (count > 0 && (d.digits.charCodeAt(count - 1) - 48) % 2 === 1);
  if (!up) return trimZeros({ digits: d.digits.slice(0, count), point: d.point });
  const kept = d.digits.slice(0, count).split('');
  let i = kept.length - 1;
  while (i >= 0 && kept[i] === '9') i--;
  if (i < 0) return { digits: '1', point: d.point + 1 };
  kept[i] = String.fromCharCode(kept[i].charCodeAt(0) + 1);
  return { digits: kept.slice(0, i + 1).join(''), point: d.point };
}

function digitAt(d: Decimal, i: number): string {
  return i >= 0 && i < d.digits.length ? d.digits[i] : '0';
}

function formatE(d: Decimal, prec: number, letter: string): string {
  let out = d.digits.length === 0 ? '0' : d.digits[0];
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) out += digitAt(d, i);
  }
  const exp = d.digits.length === 0 ? 0 : d.point - 1;
  const abs = Math.abs(exp);
  return `${out}${letter}${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
}

function formatF(d: Decimal, prec: number): string {
  let out = '';
  if (d.point > 0) {
    for (let i = 0; i < d.point; i++) out += digitAt(d, i);
  } else {
    out = '0';
  }
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) out += digitAt(d, d.point + i - 1);
  }
  return out;
}

function formatB(v: number): string {
  const { mant, exp } = bitsOf(v);
  const e = exp - 52;
  return `${mant}p${e >= 0 ? '+' : '-'}${Math.abs(e)}`;
}

function formatX(v: number, prec: number, upper: boolean): string {
  let { mant, exp } = bitsOf(v);
  if (mant === 0n) exp = 0;
  // Put the leading 1 at bit 60, as Go does, so each hex digit is four bits below it.
  mant <<= 8n;
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & ((1n << 60n) - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = upper ? '0123456789ABCDEF' : '0123456789abcdef';
  let out = `0${upper ? 'X' : 'x'}${(mant >> 60n) & 1n}`;
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  const digit = () => {
    const d = hex[Number((mant >> 60n) & 15n)];
    mant = (mant << 4n) & ((1n << 64n) - 1n);
    return d;
  };
  if (prec < 0 && mant !== 0n) {
    out += '.';
    while (mant !== 0n) out += digit();
  } else if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) out += digit();
  }
  const abs = Math.abs(exp);
  return `${out}${upper ? 'P' : 'p'}${exp < 0 ? '-' : '+'}${String(abs).padStart(2, '0')}`;
}

/** strconv.FormatFloat(v, format, prec, 64); prec -1 means the shortest exact form. */
export function formatFloat(v: number, format: string, prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  if (format === 'b') return sign + formatB(v);
  if (format === 'x' || format === 'X') return sign + formatX(v, prec, format === 'X');
  const shortest = prec < 0;
  let d: Decimal;
  if (shortest) {
    d = shortestDecimal(v);
    if (format === 'e' || format === 'E') prec = Math.max(d.digits.length - 1, 0);
    else if (format === 'f' || format === 'F') prec = Math.max(d.digits.length - d.point, 0);
    else prec = d.digits.length;
  } else {
    const exact = exactDecimal(v);
    if (format === 'e' || format === 'E') d = roundTo(exact, prec + 1);
    else if (format === 'f' || format === 'F') d = roundTo(exact, exact.point + prec);
    else {
      if (prec === 0) prec = 1;
      d = roundTo(exact, prec);
    }
  }
  switch (format) {
    case 'e':
    case 'E':
      return sign + formatE(d, prec, format);
    case 'f':
    case 'F':
      return sign + formatF(d, prec);
    default: {
      let eprec = prec;
      if (eprec > d.digits.length && d.digits.length >= d.point) eprec = d.digits.length;
      if (shortest) eprec = 6;
      const exp = d.point - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > d.digits.length) prec = d.digits.length;
        return sign + formatE(d, prec - 1, format === 'g' ? 'e' : 'E');
      }
      if (prec > d.point) prec = d.digits.length;
      return sign + formatF(d, Math.max(prec - d.point, 0));
    }
  }
}
