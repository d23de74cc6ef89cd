/** Golden tests for the memkv helpers: get gets getv getvs exists ls lsdir (reference §3.1, §3.3). */
import { describe, expect, it } from 'vitest';
import { render, renderError } from './render.js';

const test = { '/test/user': 'mary', '/test/pass': 'abc', '/nada/url': 'url' };

describe('get', () => {
  it('returns Key and Value', async () => {
    expect(await render('{{#with (get "/test/key")}}key: {{base Key}}\nval: {{Value}}\n{{/with}}', { '/test/key': 'abc' })).toBe('key: key\nval: abc\n');
  });
  it('prints like a Go struct', async () => {
    expect(await render('{{get "/a"}}', { '/a': '1' })).toBe('{/a 1}');
  });
  it('names the missing key', async () => {
    expect(await renderError('{{get "/missing"}}')).toBe('error calling get: key does not exist: /missing');
  });
});

describe('gets', () => {
  it('returns pairs sorted by key; * does not cross /', async () => {
    expect(await render('{{#each (gets "/test/*")}}key: {{Key}} val: {{Value}}\n{{/each}}', { ...test, '/test/deep/x': 'no' })).toBe(
      'key: /test/pass val: abc\nkey: /test/user val: mary\n',
    );
  });
  it('no match is an empty list, not an error', async () => {
    expect(await render('[{{#each (gets "/none/*")}}x{{/each}}]{{gets "/none/*"}}')).toBe('[][]');
  });
  it('supports ?, classes and escapes', async () => {
    const data = { '/a/x1': '1', '/a/x2': '2', '/a/y1': '3', '/a/*': 'star' };
    expect(await render('{{getvs "/a/x?"}} {{getvs "/a/[xy]1"}} {{getvs "/a/\\*"}}', data)).toBe('[1 2] [1 3] [star]');
  });
  it('a bad pattern is an error', async () => {
    expect(await renderError('{{gets "/a/["}}')).toBe('error calling gets: syntax error in pattern');
  });
});

describe('getv', () => {
  it('returns the value', async () => {
    expect(await render('{{getv "/test/user"}}', test)).toBe('mary');
  });
  it('uses the default only when the key is missing', async () => {
    expect(await render('{{getv "/nope" "fallback"}} {{getv "/test/user" "x"}}', test)).toBe('fallback mary');
  });
  it('a missing key without default names the key', async () => {
    expect(await renderError('{{getv "/database/host"}}')).toBe('error calling getv: key does not exist: /database/host');
  });
  it('cleans the lookup key like stored keys', async () => {
    expect(await render('{{getv "/test//user/"}}', test)).toBe('mary');
  });
});

describe('getvs', () => {
  it('returns values sorted by value, not key', async () => {
    expect(await render('{{#each (getvs "/test/*")}}{{this}}\n{{/each}}', test)).toBe('abc\nmary\n');
  });
  it('parses JSON values (confd unit test)', async () => {
    const data = { '/test/data/a': '{"Id":"host1","IP":"192.168.10.11"}', '/test/data/b': '{"Id":"host2","IP":"192.168.10.12"}' };
    const out = await render('{{#each (getvs "/test/data/*")}}{{#with (json this)}}id: {{Id}} ip: {{IP}}\n{{/with}}{{/each}}', data);
    expect(out).toBe('id: host1 ip: 192.168.10.11\nid: host2 ip: 192.168.10.12\n');
  });
});

describe('exists', () => {
  it('is true for a key, false otherwise', async () => {
    expect(await render('{{exists "/test/user"}} {{exists "/test"}} {{exists "/nope"}}', test)).toBe('true false false');
  });
});

describe('ls and lsdir', () => {
  const tree = { '/a': '1', '/b/c': '2', '/b/d/e': '3', '/test/data/abc': '1', '/test/data/def/ghi': '2', '/test/data/jkl/mno': '3' };
  it('ls lists direct children, sorted and unique', async () => {
    expect(await render('{{ls "/test/data"}}', tree)).toBe('[abc def jkl]');
    expect(await render('{{ls "/b"}}', tree)).toBe('[c d]');
  });
  it('lsdir lists children that have children', async () => {
    expect(await render('{{lsdir "/test/data"}}', tree)).toBe('[def jkl]');
    expect(await render('{{lsdir "/b"}}', tree)).toBe('[d]');
  });
  it('root works (confd returned only leaves for ls "/" and nothing for lsdir "/")', async () => {
    expect(await render('{{ls "/"}} {{lsdir "/"}}', tree)).toBe('[a b test] [b test]');
  });
  it('a missing path is empty', async () => {
    expect(await render('{{ls "/nope"}}{{lsdir "/nope"}}', tree)).toBe('[][]');
  });
  it('matches by whole segment', async () => {
    expect(await render('{{ls "/b"}}', { '/b/x': '1', '/bb/y': '2' })).toBe('[x]');
  });
});
