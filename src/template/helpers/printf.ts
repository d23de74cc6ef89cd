/** Go's printf for the verbs templates use: %s %v %d %q %f %t %x %%, with width and precision. */
import { goFormat } from '../go-format.js';
import type { HelperFn } from './define.js';

function pad(text: string, flags: string, width: number | undefined): string {
  if (width === undefined || text.length >= width) return text;
  if (flags.includes('-')) return text.padEnd(width);
  return text.padStart(width, flags.includes('0') ? '0' : ' ');
}

function number(value: unknown): number | undefined {
  const v = value !== null && typeof value === 'object' ? (value as { valueOf(): unknown }).valueOf() : value;
  return typeof v === 'number' ? v : undefined;
}

export function goSprintf(format: string, args: unknown[]): string {
  let next = 0;
  const out = format.replace(/%([-+ #0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g, (_match, flags: string, widthText?: string, precisionText?: string, verb?: string) => {
    if (verb === '%') return '%';
    const width = widthText === undefined ? undefined : Number(widthText);
    const precision = precisionText === undefined ? undefined : Number(precisionText);
    if (next >= args.length) return `%!${verb}(MISSING)`;
    const arg = args[next++];
    let text: string;
    switch (verb) {
      case 's':
      case 'v':
        text = goFormat(arg);
        if (precision !== undefined && verb === 's') text = text.slice(0, precision);
        break;
      case 'q':
        text = JSON.stringify(goFormat(arg));
        break;
      case 'd': {
        const n = number(arg);
        if (n === undefined || !Number.isInteger(n)) return `%!d(${typeof arg}=${goFormat(arg)})`;
        text = (flags.includes('+') && n >= 0 ? '+' : '') + String(n);
        break;
      }
      case 'f': {
        const n = number(arg);
        if (n === undefined) return `%!f(${typeof arg}=${goFormat(arg)})`;
        text = n.toFixed(precision ?? 6);
        break;
      }
      case 't':
        text = typeof arg === 'boolean' ? String(arg) : `%!t(${typeof arg}=${goFormat(arg)})`;
        break;
      case 'x': {
        const n = number(arg);
        text = n !== undefined ? n.toString(16) : Buffer.from(goFormat(arg)).toString('hex');
        break;
      }
      default:
        return `%!${verb}(${goFormat(arg)})`;
    }
    return pad(text, flags, width);
  });
  if (next < args.length) return `${out}%!(EXTRA ${args.slice(next).map(goFormat).join(', ')})`;
  return out;
}

export const printfHelpers: Record<string, HelperFn> = {
  printf: (args) => {
    if (args.length < 1 || typeof args[0] !== 'string') throw new Error('printf: the first argument must be a format string');
    return goSprintf(args[0], args.slice(1));
  },
};
