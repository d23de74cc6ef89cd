/** Every key a backend returns is cleaned and must lie under a requested prefix. */
import { describe, expect, it } from 'vitest';
import { describeDroppedKeys, keepKeysInScope } from '../../src/resource/key-scope.js';

describe('keepKeysInScope', () => {
  it('cleans keys and keeps those under a requested prefix, by whole segment', () => {
    const { values, dropped } = keepKeysInScope({ '/app//db/': 'a', '/app/./x': 'b', '/application/y': 'c', '/app': 'd', 'app/z': 'e' }, ['/app']);
    expect(values).toEqual({ '/app/db': 'a', '/app/x': 'b', '/app': 'd', '/app/z': 'e' });
    expect(dropped).toEqual([{ key: '/application/y', why: 'lies outside the requested prefixes' }]);
  });

  it('drops any key with a ".." segment, even when its clean form is requested or the prefix is /', () => {
    const answer = { '/zz/../db/host': 'attacker', '/db/..': 'x', '..': 'y', '/db/host..': 'fine', '/db/..host': 'fine too' };
    for (const prefixes of [['/db', '/zz'], ['/']]) {
      const { values, dropped } = keepKeysInScope(answer, prefixes);
      expect(values).toEqual({ '/db/host..': 'fine', '/db/..host': 'fine too' });
      expect(dropped.map((d) => d.key)).toEqual(['/zz/../db/host', '/db/..', '..']);
    }
  });

  it('the warning names the keys (the first ten, then a count), never the values', () => {
    const answer: Record<string, string> = {};
    for (let i = 0; i < 12; i++) answer[`/other/k${i}`] = `secret${i}`;
    const { dropped } = keepKeysInScope(answer, ['/app', '/db']);
    const warning = describeDroppedKeys(dropped, 'etcd', ['/app', '/db']);
    expect(warning).toContain('backend etcd returned 12 key(s) that do not belong to the requested prefixes (/app, /db); ignored: "/other/k0"');
    expect(warning).toContain('"/other/k9" (lies outside the requested prefixes) and 2 more');
    expect(warning).not.toContain('secret');
  });
});
