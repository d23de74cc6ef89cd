/** map, reverse, sortByLength, sortKVByLength. */
import { defineFunction, type TemplateFunction } from './define.js';
import { GoList, KVPair, newGoMap, setMapEntry } from './values.js';

export const collectionFunctions: Record<string, TemplateFunction> = {
  map: defineFunction([], (args) => {
    if (args.length % 2 !== 0) throw new Error('invalid map call');
    const map = newGoMap();
    for (let i = 0; i < args.length; i += 2) {
      if (typeof args[i] !== 'string') throw new Error('map keys must be strings');
      setMapEntry(map, args[i] as string, args[i + 1]);
    }
    return map;
  }, 'any'),
  // confd reverses a []string or []memkv.KVPair (in place; we return a reversed copy so the
  // caller's list is untouched). Any other type comes back as is — including gets' result,
  // whose Go type is memkv.KVPairs, so in confd `reverse (gets …)` changes nothing.
  reverse: defineFunction(['any'], ([list]) => {
    if (!(list instanceof GoList) || (list.goType !== '[]string' && list.goType !== '[]memkv.KVPair')) return list;
    return GoList.fromItems([...list].reverse(), list.goType);
  }),
  sortByLength: defineFunction(['[]string'], ([list]) => GoList.fromItems([...(list as string[])].sort((a, b) => a.length - b.length), '[]string')),
  sortKVByLength: defineFunction(['[]KVPair'], ([list]) => GoList.fromItems([...(list as KVPair[])].sort((a, b) => a.Key.length - b.Key.length), '[]memkv.KVPair')),
};
