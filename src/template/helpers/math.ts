/** Integer math as in confd (Go ints): add, sub, mul, div, mod, seq, atoi. */
import { GoList } from '../go-format.js';
import { expectArity, expectInt, expectString, type HelperFn } from './define.js';

function binary(op: (a: number, b: number) => number): HelperFn {
  return (args) => {
    expectArity(args, 2);
    return op(expectInt(args[0]), expectInt(args[1]));
  };
}

export const mathHelpers: Record<string, HelperFn> = {
  add: binary((a, b) => a + b),
  sub: binary((a, b) => a - b),
  mul: binary((a, b) => a * b),
  div: binary((a, b) => {
    if (b === 0) throw new Error('runtime error: integer divide by zero');
    return Math.trunc(a / b);
  }),
  mod: binary((a, b) => {
    if (b === 0) throw new Error('runtime error: integer divide by zero');
    return a % b;
  }),
  seq: (args) => {
    expectArity(args, 2);
    const first = expectInt(args[0]);
    const last = expectInt(args[1]);
    const out = new GoList<number>();
    for (let i = first; i <= last; i++) out.push(i);
    return out;
  },
  atoi: (args) => {
    expectArity(args, 1);
    const text = expectString(args[0]);
    if (!/^[+-]?\d+$/.test(text)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
    const n = Number(text);
    if (!Number.isSafeInteger(n)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(text)}: value out of range`);
    return n;
  },
};
