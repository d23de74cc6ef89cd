/** Go template comparisons and boolean functions: eq ne lt le gt ge and or not. */
import { expectArity, type HelperFn } from './define.js';

/** Unwraps JSON floats (GoFloat) so they compare as numbers. */
function primitive(v: unknown): unknown {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { valueOf(): unknown }).valueOf() !== 'object'
    ? (v as { valueOf(): unknown }).valueOf()
    : v;
}

/** Go's truth: false, 0, "", nil, and empty lists and maps are false. */
export function goTruthy(v: unknown): boolean {
  const p = primitive(v);
  if (p === undefined || p === null || p === false || p === 0 || p === '') return false;
  if (Array.isArray(p)) return p.length > 0;
  if (typeof p === 'object') return Object.keys(p).length > 0;
  return true;
}

function ordered(name: string, test: (a: number | string, b: number | string) => boolean): HelperFn {
  return (args) => {
    expectArity(args, 2);
    const a = primitive(args[0]);
    const b = primitive(args[1]);
    if (!((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string'))) {
      throw new Error(`${name}: incompatible types for comparison`);
    }
    return test(a, b);
  };
}

export const logicHelpers: Record<string, HelperFn> = {
  eq: (args) => {
    if (args.length < 2) throw new Error('missing argument for comparison');
    const first = primitive(args[0]);
    return args.slice(1).some((other) => primitive(other) === first);
  },
  ne: (args) => (expectArity(args, 2), primitive(args[0]) !== primitive(args[1])),
  lt: ordered('lt', (a, b) => a < b),
  le: ordered('le', (a, b) => a <= b),
  gt: ordered('gt', (a, b) => a > b),
  ge: ordered('ge', (a, b) => a >= b),
  and: (args) => {
    if (args.length < 1) throw new Error('wrong number of args for and: want at least 1 got 0');
    for (const a of args) if (!goTruthy(a)) return a;
    return args[args.length - 1];
  },
  or: (args) => {
    if (args.length < 1) throw new Error('wrong number of args for or: want at least 1 got 0');
    for (const a of args) if (goTruthy(a)) return a;
    return args[args.length - 1];
  },
  not: (args) => (expectArity(args, 1), !goTruthy(args[0])),
};
