/**
 * The core of Go's fmt: one Printer formats one value under one verb with the current
 * flags, width and precision, as fmt's pp/fmt types do: numbers, strings, booleans,
 * lists, maps and structs (element by element, with the same verb), values with a String
 * method, and `%!verb(type=value)` for a verb that does not fit.
 */
import { GoFloat, GoInt, GoList, goTypeName, isStringer, sortedKeys, structTypeOf } from '../values.js';
import { formatFloat } from './float.js';
import { canBackquote, isPrint, quote, quoteRune } from './quote.js';

export interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  /** %+v: struct field names. */
  plusV: boolean;
  /** %#v: Go syntax. */
  sharpV: boolean;
  wid: number;
  widPresent: boolean;
  prec: number;
  precPresent: boolean;
}

export function clearFlags(): Flags {
  return { plus: false, minus: false, sharp: false, space: false, zero: false, plusV: false, sharpV: false, wid: 0, widPresent: false, prec: 0, precPresent: false };
}

function runeCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

const LOWER_DIGITS = '0123456789abcdefx';
const UPPER_DIGITS = '0123456789ABCDEFX';

export class Printer {
  buf = '';
  f: Flags = clearFlags();
  private erroring = false;
  /** text/template prints what a pointer points to (`{a 1}`, not `&{a 1}`). */
  derefPointer = false;

  // ---- padding ----
  private padding(n: number): string {
    return n > 0 ? (this.f.zero ? '0' : ' ').repeat(n) : '';
  }

  pad(text: string): void {
    if (!this.f.widPresent || this.f.wid === 0) {
      this.buf += text;
      return;
    }
    const width = this.f.wid - runeCount(text);
    this.buf += this.f.minus ? text + this.padding(width) : this.padding(width) + text;
  }

  // ---- values by kind ----
  private fmtBool(v: boolean, verb: string, value: unknown): void {
    if (verb === 't' || verb === 'v') this.pad(v ? 'true' : 'false');
    else this.badVerb(verb, value);
  }

  private fmtInteger(n: number, verb: string, value: unknown): void {
    switch (verb) {
      case 'v':
      case 'd':
        return this.integer(n, 10, verb, LOWER_DIGITS);
      case 'b':
        return this.integer(n, 2, verb, LOWER_DIGITS);
      case 'o':
      case 'O':
        return this.integer(n, 8, verb, LOWER_DIGITS);
      case 'x':
        return this.integer(n, 16, verb, LOWER_DIGITS);
      case 'X':
        return this.integer(n, 16, verb, UPPER_DIGITS);
      case 'c':
        return this.pad(String.fromCodePoint(validRune(n)));
      case 'q':
        return this.pad(quoteRune(validRune(n), this.f.plus));
      case 'U':
        return this.unicode(n);
      default:
        return this.badVerb(verb, value);
    }
  }

  private integer(n: number, base: number, verb: string, digits: string): void {
    const negative = n < 0;
    let text = Math.abs(n).toString(base);
    if (digits === UPPER_DIGITS) text = text.toUpperCase();
    let prec = 0;
    if (this.f.precPresent) {
      prec = this.f.prec;
      if (prec === 0 && n === 0) {
        const zero = this.f.zero;
        this.f.zero = false;
        this.buf += this.padding(this.f.wid);
        this.f.zero = zero;
        return;
      }
    } else if (this.f.zero && this.f.widPresent) {
      prec = this.f.wid;
      if (negative || this.f.plus || this.f.space) prec--;
    }
    if (text.length < prec) text = '0'.repeat(prec - text.length) + text;
    if (this.f.sharp) {
      if (base === 2) text = '0b' + text;
      else if (base === 8 && text[0] !== '0') text = '0' + text;
      else if (base === 16) text = '0' + digits[16] + text;
    }
    if (verb === 'O') text = '0o' + text;
    if (negative) text = '-' + text;
    else if (this.f.plus) text = '+' + text;
    else if (this.f.space) text = ' ' + text;
    const zero = this.f.zero;
    this.f.zero = false;
    this.pad(text);
    this.f.zero = zero;
  }

  private unicode(n: number): void {
    // Go formats %U of the value as a uint64, so a negative int wraps around.
    let text = (n < 0 ? BigInt.asUintN(64, BigInt(n)) : n).toString(16).toUpperCase();
    const prec = this.f.precPresent && this.f.prec > 4 ? this.f.prec : 4;
    if (text.length < prec) text = '0'.repeat(prec - text.length) + text;
    text = 'U+' + text;
    if (this.f.sharp && n >= 0 && n <= 0x10ffff && isPrint(n)) text += ` '${String.fromCodePoint(n)}'`;
    const zero = this.f.zero;
    this.f.zero = false;
    this.pad(text);
    this.f.zero = zero;
  }

  private fmtFloat(v: number, verb: string, value: unknown): void {
    switch (verb) {
      case 'v':
        return this.float(v, 'g', -1, verb);
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        return this.float(v, verb, -1, verb);
      case 'f':
      case 'e':
      case 'E':
      case 'F':
        return this.float(v, verb, 6, verb);
      default:
        return this.badVerb(verb, value);
    }
  }

  private float(v: number, format: string, prec: number, verb: string): void {
    if (this.f.precPresent) prec = this.f.prec;
    let num = formatFloat(v, format === 'F' ? 'f' : format, prec);
    num = num[0] === '-' || num[0] === '+' ? num : '+' + num;
    if (this.f.space && num[0] === '+' && !this.f.plus) num = ' ' + num.slice(1);
    if (num[1] === 'I' || num[1] === 'N') {
      const zero = this.f.zero;
      this.f.zero = false;
      if (num[1] === 'N' && !this.f.space && !this.f.plus) num = num.slice(1);
      this.pad(num);
      this.f.zero = zero;
      return;
    }
    if (this.f.sharp && format !== 'b') num = sharpFloat(num, verb, prec);
    if (this.f.plus || num[0] !== '+') {
      if (this.f.zero && this.f.widPresent && this.f.wid > num.length) {
        this.buf += num[0] + this.padding(this.f.wid - num.length) + num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  private fmtString(v: string, verb: string, value: unknown): void {
    switch (verb) {
      case 'v':
        return this.f.sharpV ? this.fmtQ(v) : this.pad(this.truncate(v));
      case 's':
        return this.pad(this.truncate(v));
      case 'x':
        return this.fmtSx(v, LOWER_DIGITS);
      case 'X':
        return this.fmtSx(v, UPPER_DIGITS);
      case 'q':
        return this.fmtQ(v);
      default:
        return this.badVerb(verb, value);
    }
  }

  private truncate(text: string): string {
    if (!this.f.precPresent) return text;
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xdc00 && c <= 0xdfff) continue;
      if (n === this.f.prec) return text.slice(0, i);
      n++;
    }
    return text;
  }

  private fmtQ(v: string): void {
    const text = this.truncate(v);
    if (this.f.sharp && canBackquote(text)) this.pad('`' + text + '`');
    else this.pad(quote(text, this.f.plus));
  }

  private fmtSx(v: string, digits: string): void {
    const bytes = Buffer.from(v, 'utf8');
    const length = this.f.precPresent && this.f.prec < bytes.length ? this.f.prec : bytes.length;
    let width = 2 * length;
    if (width > 0) {
      if (this.f.space) {
        if (this.f.sharp) width *= 2;
        width += length - 1;
      } else if (this.f.sharp) {
        width += 2;
      }
    } else {
      if (this.f.widPresent) this.buf += this.padding(this.f.wid);
      return;
    }
    if (this.f.widPresent && this.f.wid > width && !this.f.minus) this.buf += this.padding(this.f.wid - width);
    let out = this.f.sharp ? '0' + digits[16] : '';
    for (let i = 0; i < length; i++) {
      if (this.f.space && i > 0) out += this.f.sharp ? ' 0' + digits[16] : ' ';
      out += digits[bytes[i] >> 4] + digits[bytes[i] & 15];
    }
    this.buf += out;
    if (this.f.widPresent && this.f.wid > width && this.f.minus) this.buf += this.padding(this.f.wid - width);
  }

  // ---- dispatch ----
  badVerb(verb: string, value: unknown): void {
    this.erroring = true;
    this.buf += `%!${verb}(`;
    if (value === null || value === undefined) this.buf += '<nil>';
    else {
      this.buf += goTypeName(value) + '=';
      this.printArg(value, 'v');
    }
    this.buf += ')';
    this.erroring = false;
  }

  printArg(arg: unknown, verb: string): void {
    if (arg === null || arg === undefined) {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb, arg);
      return;
    }
    if (verb === 'T') {
      this.pad(this.truncate(goTypeName(arg)));
      return;
    }
    if (verb === 'p') {
      this.badVerb(verb, arg);
      return;
    }
    this.printValue(arg, verb, 0);
  }

  /** A value with a String method prints through it for the string verbs. */
  private handleMethods(value: unknown, verb: string): boolean {
    if (this.erroring || this.f.sharpV) return false;
    if (verb !== 'v' && verb !== 's' && verb !== 'x' && verb !== 'X' && verb !== 'q') return false;
    if (value instanceof GoInt && value.type.stringer) {
      this.fmtString(value.type.stringer(value.value), verb, value);
      return true;
    }
    if (isStringer(value)) {
      this.fmtString(value.goString(), verb, value);
      return true;
    }
    return false;
  }

  printValue(value: unknown, verb: string, depth: number): void {
    if (this.handleMethods(value, verb)) return;
    switch (typeof value) {
      case 'boolean':
        return this.fmtBool(value, verb, value);
      case 'number':
        return Number.isInteger(value) ? this.fmtInteger(value, verb, value) : this.fmtFloat(value, verb, value);
      case 'string':
        return this.fmtString(value, verb, value);
      case 'undefined':
        if (depth === 0) this.buf += '<invalid reflect.Value>';
        else if (verb === 'v') this.buf += '<nil>';
        else this.badVerb(verb, value);
        return;
    }
    if (value === null) {
      // A nil interface inside a container.
      this.buf += this.f.sharpV ? 'interface {}(nil)' : '<nil>';
      return;
    }
    if (value instanceof GoFloat) return this.fmtFloat(value.value, verb, value);
    if (value instanceof GoInt) return this.fmtInteger(value.value, verb, value);
    if (Array.isArray(value)) return this.printList(value, verb, depth);
    const struct = structTypeOf(value);
    if (struct) {
      if (struct.pointer && depth === 0 && !this.derefPointer) this.buf += '&';
      if (this.f.sharpV) this.buf += struct.name;
      this.buf += '{';
      struct.fields.forEach(([name, read], i) => {
        if (i > 0) this.buf += this.f.sharpV ? ', ' : ' ';
        if (this.f.plusV || this.f.sharpV) this.buf += name + ':';
        this.printValue(read(value as never), verb, depth + 1);
      });
      this.buf += '}';
      return;
    }
    if (isStringer(value)) {
      // A struct we only know through its String method (time.Time) under a non-string verb.
      this.badVerb(verb, value);
      return;
    }
    if (typeof value === 'object') return this.printMap(value as Record<string, unknown>, verb, depth);
    this.buf += String(value);
  }

  private printList(list: unknown[], verb: string, depth: number): void {
    if (this.f.sharpV) {
      this.buf += (list instanceof GoList ? list.goType : '[]interface {}') + '{';
      list.forEach((item, i) => {
        if (i > 0) this.buf += ', ';
        this.printValue(item, verb, depth + 1);
      });
      this.buf += '}';
      return;
    }
    this.buf += '[';
    list.forEach((item, i) => {
      if (i > 0) this.buf += ' ';
      this.printValue(item, verb, depth + 1);
    });
    this.buf += ']';
  }

  private printMap(map: Record<string, unknown>, verb: string, depth: number): void {
    this.buf += this.f.sharpV ? 'map[string]interface {}{' : 'map[';
    sortedKeys(map).forEach((key, i) => {
      if (i > 0) this.buf += this.f.sharpV ? ', ' : ' ';
      this.printValue(key, verb, depth + 1);
      this.buf += ':';
      this.printValue(map[key], verb, depth + 1);
    });
    this.buf += this.f.sharpV ? '}' : ']';
  }
}

function validRune(n: number): number {
  return n < 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff) ? 0xfffd : n;
}

/** The `#` flag on floats: always a decimal point; %g and %v keep trailing zeros. */
function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = 0;
  if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') digits = prec === -1 ? 6 : prec;
  let tail = '';
  let body = num;
  let hasPoint = false;
  let sawNonzero = false;
  for (let i = 1; i < body.length; i++) {
    const c = body[i];
    if (c === '.') {
      hasPoint = true;
    } else if (c === 'p' || c === 'P' || ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X')) {
      tail = body.slice(i);
      body = body.slice(0, i);
      break;
    } else {
      if (c !== '0') sawNonzero = true;
      if (sawNonzero) digits--;
    }
  }
  if (!hasPoint) {
    if (body.length === 2 && body[1] === '0') digits--;
    body += '.';
  }
  if (digits > 0) body += '0'.repeat(digits);
  return body + tail;
}


/** `%v` turns `#` into Go-syntax and `+` into field names. */
export function setV(f: Flags): void {
  f.sharpV = f.sharp;
  f.sharp = false;
  f.plusV = f.plus;
  f.plus = false;
}
