/**
 * Go's fmt.Sprintf: the format string's verbs, flags, width, precision, `*` and `%[n]`
 * argument indexes, and Go's error forms (`%!s(MISSING)`, `%!(EXTRA int=1)`,
 * `%!(BADWIDTH)`, `%!(BADPREC)`, `%!(BADINDEX)`, `%!(NOVERB)`).
 */
import { GoInt, goTypeName } from '../values.js';
import { clearFlags, Printer, setV } from './printer.js';

const TOO_LARGE = 1e6;

function parseNumber(format: string, start: number, end: number): { num: number; isNum: boolean; next: number } {
  if (start >= end) return { num: 0, isNum: false, next: end };
  let num = 0;
  let isNum = false;
  let i = start;
  for (; i < end && format.charCodeAt(i) >= 48 && format.charCodeAt(i) <= 57; i++) {
    if (num > TOO_LARGE || num < -TOO_LARGE) return { num: 0, isNum: false, next: end };
    num = num * 10 + format.charCodeAt(i) - 48;
    isNum = true;
  }
  return { num, isNum, next: i };
}

function intFromArg(args: readonly unknown[], argNum: number): { num: number; isInt: boolean; next: number } {
  if (argNum >= args.length) return { num: 0, isInt: false, next: argNum };
  const arg = args[argNum];
  let num = 0;
  let isInt = false;
  if (typeof arg === 'number' && Number.isInteger(arg)) [num, isInt] = [arg, true];
  else if (arg instanceof GoInt) [num, isInt] = [arg.value, true];
  if (num > TOO_LARGE || num < -TOO_LARGE) [num, isInt] = [0, false];
  return { num, isInt, next: argNum + 1 };
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly unknown[]): string {
  const p = new Printer();
  const end = format.length;
  let argNum = 0;
  let afterIndex = false;
  let reordered = false;
  let goodArgNum = true;

  let i = 0;
  /** An explicit argument index `[n]` at i, if any: moves argNum and sets afterIndex. */
  const readArgIndex = (): void => {
    afterIndex = false;
    if (i >= end || format[i] !== '[') return;
    reordered = true;
    const close = format.indexOf(']', i + 1);
    if (format.length - i < 3 || close < 0) {
      goodArgNum = false;
      i++;
      return;
    }
    const { num, isNum, next } = parseNumber(format, i + 1, close);
    i = close + 1;
    if (!isNum || next !== close) {
      goodArgNum = false;
      return;
    }
    afterIndex = true;
    if (num - 1 >= 0 && num - 1 < args.length) argNum = num - 1;
    else goodArgNum = false;
  };

  /** A width or precision: `*` takes it from the next argument, else digits give it. */
  const sizeAt = (): { value: number; present: boolean; star: boolean } => {
    if (i < end && format[i] === '*') {
      i++;
      const v = intFromArg(args, argNum);
      argNum = v.next;
      return { value: v.num, present: v.isInt, star: true };
    }
    const n = parseNumber(format, i, end);
    i = n.next;
    return { value: n.num, present: n.isNum, star: false };
  };

  while (i < end) {
    goodArgNum = true;
    const start = i;
    while (i < end && format[i] !== '%') i++;
    if (i > start) p.buf += format.slice(start, i);
    if (i >= end) break;
    i++;
    p.f = clearFlags();
    let simple = false;
    flags: for (; i < end; i++) {
      const c = format[i];
      switch (c) {
        case '#':
          p.f.sharp = true;
          break;
        case '0':
          p.f.zero = !p.f.minus;
          break;
        case '+':
          p.f.plus = true;
          break;
        case '-':
          p.f.minus = true;
          p.f.zero = false;
          break;
        case ' ':
          p.f.space = true;
          break;
        default:
          if (c >= 'a' && c <= 'z' && argNum < args.length) {
            if (c === 'v') setV(p.f);
            p.printArg(args[argNum], c);
            argNum++;
            i++;
            simple = true;
          }
          break flags;
      }
    }
    if (simple) continue;

    readArgIndex();

    const width = sizeAt();
    [p.f.wid, p.f.widPresent] = [width.value, width.present];
    if (width.star) {
      if (!p.f.widPresent) p.buf += '%!(BADWIDTH)';
      if (p.f.wid < 0) {
        p.f.wid = -p.f.wid;
        p.f.minus = true;
        p.f.zero = false;
      }
      afterIndex = false;
    } else if (afterIndex && p.f.widPresent) {
      goodArgNum = false;
    }

    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      readArgIndex();
      const precision = sizeAt();
      [p.f.prec, p.f.precPresent] = [precision.value, precision.present];
      if (precision.star) {
        if (p.f.prec < 0) [p.f.prec, p.f.precPresent] = [0, false];
        if (!p.f.precPresent) p.buf += '%!(BADPREC)';
        afterIndex = false;
      } else if (!p.f.precPresent) {
        [p.f.prec, p.f.precPresent] = [0, true];
      }
    }

    if (!afterIndex) readArgIndex();

    if (i >= end) {
      p.buf += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') p.buf += '%';
    else if (!goodArgNum) p.buf += `%!${verb}(BADINDEX)`;
    else if (argNum >= args.length) p.buf += `%!${verb}(MISSING)`;
    else {
      if (verb === 'v') setV(p.f);
      p.printArg(args[argNum], verb);
      argNum++;
    }
  }

  if (!reordered && argNum < args.length) {
    p.f = clearFlags();
    p.buf += '%!(EXTRA ';
    args.slice(argNum).forEach((arg, i) => {
      if (i > 0) p.buf += ', ';
      if (arg === null || arg === undefined) p.buf += '<nil>';
      else {
        p.buf += goTypeName(arg) + '=';
        p.printArg(arg, 'v');
      }
    });
    p.buf += ')';
  }
  return p.buf;
}
