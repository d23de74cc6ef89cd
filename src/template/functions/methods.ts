/**
 * Go methods on the values confd's functions return, callable from Go templates:
 * `{{(datetime).Format "2006-01-02"}}`, `{{datetime.Year}}`, `{{(gets "/x/*").Len}}`.
 * A method is a function bound to its receiver.
 */
import { defineFunction, type TemplateFunction } from './define.js';
import { DAYS, formatGoLayout, GoTime, MONTHS } from './go-time.js';
import { GoInt, GoList, INT64, type IntType } from './values.js';

const MONTH: IntType = { name: 'time.Month', unsigned: false, stringer: (m) => MONTHS[m - 1] ?? `%!Month(${m})` };
const WEEKDAY: IntType = { name: 'time.Weekday', unsigned: false, stringer: (d) => DAYS[d] ?? `%!Weekday(${d})` };

type MethodSet = Record<string, (receiver: never) => TemplateFunction>;

const get = (read: (t: GoTime) => unknown) => (t: GoTime) => defineFunction([], () => read(t));

const TIME_METHODS: MethodSet = {
  Format: (t: GoTime) => defineFunction(['string'], ([layout]) => formatGoLayout(t.date, layout as string, t.nanos, t.utc)),
  String: get((t) => t.goString()),
  Year: get((t) => t.parts().year),
  Month: get((t) => new GoInt(t.parts().month + 1, MONTH)),
  Day: get((t) => t.parts().day),
  Hour: get((t) => t.parts().hour),
  Minute: get((t) => t.parts().minute),
  Second: get((t) => t.parts().second),
  Nanosecond: get((t) => t.nanos),
  YearDay: get((t) => t.dayOfYear()),
  Weekday: get((t) => new GoInt(t.parts().weekday, WEEKDAY)),
  Unix: get((t) => new GoInt(Math.floor(t.date.getTime() / 1000), INT64)),
  UnixMilli: get((t) => new GoInt(t.date.getTime(), INT64)),
  UnixNano: get((t) => new GoInt(Math.floor(t.date.getTime() / 1000) * 1e9 + t.nanos, INT64)),
  UTC: get((t) => new GoTime(t.date, t.nanos, true)),
  Local: get((t) => new GoTime(t.date, t.nanos, false)),
  IsZero: get(() => false),
};

// memkv.KVPairs implements sort.Interface; Len is the one a template can use.
const KVPAIRS_METHODS: MethodSet = {
  Len: get((list) => (list as unknown as unknown[]).length) as MethodSet[string],
};

/** The method `name` bound to `receiver`, if the receiver's Go type has it. */
export function findMethod(receiver: unknown, name: string): TemplateFunction | undefined {
  let set: MethodSet | undefined;
  if (receiver instanceof GoTime) set = TIME_METHODS;
  else if (receiver instanceof GoList && receiver.goType === 'memkv.KVPairs') set = KVPAIRS_METHODS;
  const method = set && Object.hasOwn(set, name) ? set[name] : undefined;
  return method?.(receiver as never);
}
