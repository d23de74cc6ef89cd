/**
 * Number and character constants as Go's text/template parses them: a constant may be
 * an int, a uint and a float at once (`3`, `1e3`, `'a'`), and the context decides which
 * (an `int` parameter, or for interface{} the syntax: `1.0` is a float, `0x10` an int).
 * Go's strconv rules: base prefixes 0x 0o 0b and a leading 0 (octal), `_` between digits.
 */

export interface NumberConstant {
  text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  /** Valid when isInt (or isUint). */
  int: number;
  /** Valid when isFloat. */
  float: number;
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;

/** Go's underscoreOK: `_` only between digits, or between a base prefix and a digit. */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s[0] === '+' || s[0] === '-') s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'xXoObB'.includes(s[1])) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseInt/ParseUint(text, 0, 64) without the range check: the value, or undefined on a syntax error. */
function parseInteger(text: string, allowSign: boolean): bigint | undefined {
  let s = text;
  let negative = false;
  if (s[0] === '+' || s[0] === '-') {
    if (!allowSign) return undefined;
    negative = s[0] === '-';
    s = s.slice(1);
  }
  let base = 10;
  let body = s;
  if (s.length >= 2 && s[0] === '0') {
    const p = s[1].toLowerCase();
    if (p === 'x') [base, body] = [16, s.slice(2)];
    else if (p === 'o') [base, body] = [8, s.slice(2)];
    else if (p === 'b') [base, body] = [2, s.slice(2)];
    else [base, body] = [8, s.slice(1)];
  }
  if (body.includes('_') && !underscoreOK(text)) return undefined;
  body = body.replaceAll('_', '');
  if (body === '') return base === 8 && s.length > 0 && !/^0[oO]/.test(s) ? 0n : undefined;
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^\d+$/, 16: /^[0-9a-fA-F]+$/ }[base as 2 | 8 | 10 | 16];
  if (!valid.test(body)) return undefined;
  const prefix = { 2: '0b', 8: '0o', 10: '', 16: '0x' }[base as 2 | 8 | 10 | 16];
  const value = BigInt(prefix + body);
  return negative ? -value : value;
}

/** strconv.ParseFloat(text, 64): decimal or hexadecimal (`0x1p-2`), with Go's underscore rules. */
function parseFloat64(text: string): number | undefined {
  if (text.includes('_') && !underscoreOK(text)) return undefined;
  const s = text.replaceAll('_', '');
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(s);
  if (hex) {
    const [, sign, whole, fraction = '', exponent] = hex;
    if (whole === '' && fraction === '') return undefined;
    const mantissa = BigInt('0x' + (whole + fraction || '0'));
    const value = Number(mantissa) * 2 ** (Number(exponent) - 4 * fraction.length);
    return sign === '-' ? -value : value;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

function bigToNumber(n: bigint): number {
  return Number(n);
}

/** Go's parse.newNumber for an itemNumber; throws Go's error text. */
export function parseNumber(text: string): NumberConstant {
  if (text.endsWith('i')) throw new Error(`complex number constants are not supported: ${JSON.stringify(text)}`);
  const n: NumberConstant = { text, isInt: false, isUint: false, isFloat: false, int: 0, float: 0 };
  const u = parseInteger(text, false);
  if (u !== undefined && u <= UINT64_MAX) {
    n.isUint = true;
    n.int = bigToNumber(u);
  }
  const i = parseInteger(text, true);
  if (i !== undefined && i >= INT64_MIN && i <= INT64_MAX) {
    n.isInt = true;
    n.int = bigToNumber(i);
    if (i === 0n) n.isUint = true;
  }
  if (n.isInt || n.isUint) {
    n.isFloat = true;
    n.float = n.int;
  } else {
    const f = parseFloat64(text);
    if (f !== undefined && Number.isFinite(f)) {
      if (!/[.eEpP]/.test(text)) throw new Error(`integer overflow: ${JSON.stringify(text)}`);
      n.isFloat = true;
      n.float = f;
      if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
        n.isInt = true;
        n.int = f;
      }
      if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
        n.isUint = true;
        n.int = f;
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) throw new Error(`illegal number syntax: ${JSON.stringify(text)}`);
  return n;
}

/** A character constant ('a', '\n', '\u00e9'): an int, a uint and a float at once. */
export function parseCharConstant(text: string): NumberConstant {
  const rune = unquoteChar(text);
  return { text, isInt: true, isUint: true, isFloat: true, int: rune, float: rune };
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, "'": 39, '"': 34 };

/** One escape sequence at `s[i]` (after the backslash); returns the rune and the next index. */
function escape(s: string, i: number, quote: string): [number, number] {
  const c = s[i];
  if (c in SIMPLE_ESCAPES && (c !== "'" || quote === "'") && (c !== '"' || quote === '"')) return [SIMPLE_ESCAPES[c], i + 1];
  const hexLength = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
  if (hexLength) {
    const digits = s.slice(i + 1, i + 1 + hexLength);
    if (digits.length !== hexLength || !/^[0-9a-fA-F]+$/.test(digits)) throw new Error('invalid syntax');
    const rune = parseInt(digits, 16);
    if (c !== 'x' && (rune > 0x10ffff || (rune >= 0xd800 && rune <= 0xdfff))) throw new Error('invalid syntax');
    return [rune, i + 1 + hexLength];
  }
  if (c >= '0' && c <= '7') {
    const digits = s.slice(i, i + 3);
    if (!/^[0-7]{3}$/.test(digits)) throw new Error('invalid syntax');
    const rune = parseInt(digits, 8);
    if (rune > 255) throw new Error('invalid syntax');
    return [rune, i + 3];
  }
  throw new Error('invalid syntax');
}

function unquoteChar(text: string): number {
  const body = text.slice(1);
  if (body === '' || body[0] === "'") throw new Error('invalid syntax');
  let rune: number;
  let next: number;
  if (body[0] === '\\') [rune, next] = escape(body, 1, "'");
  else {
    rune = body.codePointAt(0)!;
    next = rune > 0xffff ? 2 : 1;
  }
  if (body.slice(next) !== "'") throw new Error(`malformed character constant: ${text}`);
  return rune;
}

/** strconv.Unquote for "…" and `…` literals; throws `invalid syntax`. */
export function unquoteString(text: string): string {
  if (text[0] === '`') {
    if (text.length < 2 || !text.endsWith('`')) throw new Error('invalid syntax');
    return text.slice(1, -1).replaceAll('\r', '');
  }
  if (text.length < 2 || !text.endsWith('"')) throw new Error('invalid syntax');
  const body = text.slice(1, -1);
  let out = '';
  let pendingBytes: number[] = [];
  const flushBytes = () => {
    if (pendingBytes.length) out += Buffer.from(pendingBytes).toString('utf8');
    pendingBytes = [];
  };
  for (let i = 0; i < body.length; ) {
    const c = body[i];
    if (c === '"' || c === '\n') throw new Error('invalid syntax');
    if (c !== '\\') {
      flushBytes();
      out += c;
      i++;
      continue;
    }
    const kind = body[i + 1];
    const [rune, next] = escape(body, i + 1, '"');
    // \x and octal escapes are bytes; consecutive ones may form UTF-8 sequences.
    if (kind === 'x' || (kind >= '0' && kind <= '7')) pendingBytes.push(rune);
    else {
      flushBytes();
      out += String.fromCodePoint(rune);
    }
    i = next;
  }
  flushBytes();
  return out;
}
