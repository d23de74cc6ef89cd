/**
 * Go's fmt printing entry points over the template values of ../values.ts: %v of one
 * value (as text/template prints an action), Sprint and Sprintln.
 */
import { Printer } from './printer.js';

/**
 * Go's %v of one value, as text/template prints an action's result: `<no value>` when
 * there is none, and a pointer's target rather than `&…` when `derefPointer`.
 */
export function formatValue(value: unknown, derefPointer = false): string {
  if (value === undefined) return '<no value>';
  if (typeof value === 'string') return value;
  const p = new Printer();
  p.derefPointer = derefPointer;
  p.printArg(value, 'v');
  return p.buf;
}

/** fmt.Sprint: spaces between operands when neither is a string. */
export function sprint(args: readonly unknown[]): string {
  const p = new Printer();
  let previousString = false;
  args.forEach((arg, i) => {
    const isString = typeof arg === 'string';
    if (i > 0 && !isString && !previousString) p.buf += ' ';
    p.printArg(arg, 'v');
    previousString = isString;
  });
  return p.buf;
}

/** fmt.Sprintln: spaces between all operands and a final newline. */
export function sprintln(args: readonly unknown[]): string {
  const p = new Printer();
  args.forEach((arg, i) => {
    if (i > 0) p.buf += ' ';
    p.printArg(arg, 'v');
  });
  return p.buf + '\n';
}
