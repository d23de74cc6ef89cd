/**
 * lookupIP, lookupIPV4, lookupIPV6, lookupSRV — resolved for real, yet usable inside
 * synchronous Handlebars: on a cache miss the helper records the query and returns an
 * empty answer; the engine then resolves every recorded query (asynchronously, in
 * parallel) and renders again. Errors give an empty list, as in confd.
 */
import { promises as dns } from 'node:dns';
import { defineFunction, type DnsState, type TemplateFunction } from './define.js';
import { GoInt, GoList, registerStruct, UINT16 } from './values.js';

/** A SRV record, with Go's field names; prints like Go's `&{target port priority weight}`. */
export class SRVRecord {
  constructor(
    readonly Target: string,
    readonly Port: number,
    readonly Priority: number,
    readonly Weight: number,
  ) {}
  toString(): string {
    return `&{${this.Target} ${this.Port} ${this.Priority} ${this.Weight}}`;
  }
}

registerStruct(SRVRecord, {
  name: 'net.SRV',
  pointer: true,
  fields: [
    ['Target', (r: SRVRecord) => r.Target],
    ['Port', (r: SRVRecord) => new GoInt(r.Port, UINT16)],
    ['Priority', (r: SRVRecord) => new GoInt(r.Priority, UINT16)],
    ['Weight', (r: SRVRecord) => new GoInt(r.Weight, UINT16)],
  ],
});

function answer<T>(state: DnsState, query: string): T | undefined {
  if (state.answers.has(query)) return state.answers.get(query) as T;
  state.pending.add(query);
  return undefined;
}

function ipFunction(filter: (ip: string) => boolean): TemplateFunction {
  return defineFunction(['string'], ([host], { dns: state }) => {
    const ips = answer<string[]>(state, `ip:${host as string}`) ?? [];
    return GoList.fromItems(ips.filter(filter), '[]string');
  });
}

export const dnsFunctions: Record<string, TemplateFunction> = {
  lookupIP: ipFunction(() => true),
  lookupIPV4: ipFunction((ip) => ip.includes('.')),
  lookupIPV6: ipFunction((ip) => ip.includes(':')),
  lookupSRV: defineFunction(['string', 'string', 'string'], (args, { dns: state }) => {
    const [service, proto, name] = args as string[];
    // Go's LookupSRV: with service and proto empty, name is looked up directly.
    const record = service === '' && proto === '' ? name : `_${service}._${proto}.${name}`;
    return GoList.fromItems(answer<SRVRecord[]>(state, `srv:${record}`) ?? [], '[]*net.SRV');
  }),
};

async function resolve(query: string): Promise<unknown> {
  const [kind, name] = [query.slice(0, query.indexOf(':')), query.slice(query.indexOf(':') + 1)];
  try {
    if (kind === 'ip') {
      const found = await dns.lookup(name, { all: true, verbatim: true });
      return [...new Set(found.map((a) => a.address))].sort();
    }
    const records = await dns.resolveSrv(name);
    return records
      .map((r) => new SRVRecord(r.name.endsWith('.') ? r.name : `${r.name}.`, r.port, r.priority, r.weight))
      .sort((a, b) => {
        const ka = `${a.Target}${a.Port}${a.Priority}${a.Weight}`;
        const kb = `${b.Target}${b.Port}${b.Priority}${b.Weight}`;
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      });
  } catch {
    return [];
  }
}

/** Resolves every pending query into the answers map. */
export async function resolvePending(state: DnsState): Promise<void> {
  const queries = [...state.pending];
  state.pending.clear();
  const results = await Promise.all(queries.map(resolve));
  queries.forEach((query, i) => state.answers.set(query, results[i]));
}
