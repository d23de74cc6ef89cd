/** Integer math as in confd (Go ints): add, sub, mul, div, mod, seq, atoi. */
import { defineFunction, type TemplateFunction } from './define.js';
import { GoList } from './values.js';

function binary(op: (a: number, b: number) => number): TemplateFunction {
  return defineFunction(['int', 'int'], ([a, b]) => op(a as number, b as number));
}

function nonZero(b: number): number {
  if (b === 0) throw new Error('runtime error: integer divide by zero');
  return b;
}

export const mathFunctions: Record<string, TemplateFunction> = {
  add: binary((a, b) => a + b),
  sub: binary((a, b) => a - b),
  mul: binary((a, b) => a * b),
  div: binary((a, b) => Math.trunc(a / nonZero(b))),
  mod: binary((a, b) => a % nonZero(b)),
  seq: defineFunction(['int', 'int'], ([first, last]) => {
    const out = GoList.fromItems<number>([], '[]int');
    for (let i = first as number; i <= (last as number); i++) out.push(i);
    return out;
  }),
  // Go's message quotes the text; it may be a secret, so we say what was wrong with it instead.
  atoi: defineFunction(['string'], ([text]) => {
    if (!/^[+-]?\d+$/.test(text as string)) throw new Error('strconv.Atoi: parsing (value not shown): invalid syntax');
    const n = Number(text);
    if (!Number.isSafeInteger(n)) throw new Error('strconv.Atoi: parsing (value not shown): value out of range');
    return n;
  }),
};
