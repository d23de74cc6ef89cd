import { describe, expect, it } from 'vitest';
import { groupByPrefix, watchIdentity } from '../../src/daemon/watch-groups.js';
import type { TemplateResource } from '../../src/resource/template-resource.js';

function resource(file: string, prefix: string, keys: string[]): TemplateResource {
  return { file, src: `/t/${file}.tmpl`, dest: `/out/${file}`, prefix, keys, makeDirectories: false, checkCmdTimeoutMs: 1, reloadCmdTimeoutMs: 1, backends: ['default'] };
}

describe('groupByPrefix', () => {
  it('puts resources with the same prefix in one group with the union of their keys', () => {
    const groups = groupByPrefix([
      resource('a', '/app', ['/app/db', '/app/web']),
      resource('b', '/app', ['/app/db/host', '/app/cache']),
      resource('c', '/other', ['/other/x']),
    ]);
    expect(groups).toEqual([
      { prefix: '/app', keys: ['/app/cache', '/app/db', '/app/web'], resources: ['a', 'b'], identity: '["/app",["/app/cache","/app/db","/app/web"]]' },
      { prefix: '/other', keys: ['/other/x'], resources: ['c'], identity: '["/other",["/other/x"]]' },
    ]);
  });

  it('identity ignores membership, so adding a resource with the same keys keeps the watch', () => {
    const [one] = groupByPrefix([resource('a', '/app', ['/app/db'])]);
    const [two] = groupByPrefix([resource('a', '/app', ['/app/db']), resource('b', '/app', ['/app/db'])]);
    expect(watchIdentity(one)).toBe(watchIdentity(two));
    expect(one.identity).toBe(two.identity);
    const [three] = groupByPrefix([resource('a', '/app', ['/app/web'])]);
    expect(watchIdentity(three)).not.toBe(watchIdentity(one));
  });
});
