/** Golden tests for string, encoding, math and collection helpers (reference §3.2). */
import { describe, expect, it } from 'vitest';
import { render, renderError } from './render.js';

describe('base and dir (Go path)', () => {
  it.each([
    ['{{base "/a/b"}}', 'b'], ['{{base "/a/b/"}}', 'b'], ['{{base ""}}', '.'], ['{{base "/"}}', '/'],
    ['{{dir "/test/data/abc"}}', '/test/data'], ['{{dir "/a/b/"}}', '/a/b'], ['{{dir "a"}}', '.'], ['{{dir "/a"}}', '/'],
  ])('%s → %s', async (tpl, out) => expect(await render(tpl)).toBe(out));
});

describe('split, join', () => {
  it('split then index', async () => {
    expect(await render('{{#with (split (getv "/d") ":")}}{{index this 0}} {{index this 1}} {{index this 2}}{{/with}}', { '/d': 'foo:bar:baz' })).toBe('foo bar baz');
  });
  it('split prints like a Go slice', async () => {
    expect(await render('{{split "a,b" ","}}')).toBe('[a b]');
  });
  it('join joins a string list', async () => {
    expect(await render('{{join (split "a:b:c" ":") "-"}}')).toBe('a-b-c');
    expect(await render('{{join (getvs "/x/*") ","}}', { '/x/1': 'b', '/x/2': 'a' })).toBe('a,b');
  });
  it('join rejects a non-string list, as Go', async () => {
    expect(await renderError('{{join (jsonArray "[1,2]") ","}}')).toContain('wrong type for value; expected []string; got []interface {}');
  });
});

describe('case, contains, replace, trimSuffix, trimPrefix', () => {
  it.each([
    ['{{toUpper "Value"}}', 'VALUE'], ['{{toLower "Value"}}', 'value'],
    ['{{contains "foobar" "oba"}} {{contains "foobar" "x"}}', 'true false'],
    ['{{replace "a-b-c" "-" "+" -1}}', 'a+b+c'], ['{{replace "a-b-c" "-" "+" 1}}', 'a+b-c'],
    ['{{trimSuffix "app.conf" ".conf"}}', 'app'], ['{{trimSuffix "app" ".conf"}}', 'app'], ['{{trimPrefix "/a/b" "/a"}}', '/b'],
  ])('%s → %s', async (tpl, out) => expect(await render(tpl)).toBe(out));
});

describe('json and jsonArray', () => {
  it('prints maps sorted, floats as %g, null as <nil>', async () => {
    expect(await render('{{json (getv "/j")}}', { '/j': '{"b":10000000,"a":3306,"c":null,"d":1.5}' })).toBe('map[a:3306 b:1e+07 c:<nil> d:1.5]');
  });
  it('fields are reachable', async () => {
    expect(await render('{{#with (json (getv "/j"))}}{{host}}:{{port}}{{/with}}', { '/j': '{"host":"db","port":5432}' })).toBe('db:5432');
  });
  it('jsonArray iterates (confd unit test)', async () => {
    expect(await render('{{#each (jsonArray (getv "/test/data/"))}}{{this}} {{/each}}', { '/test/data/': '["1", "2", "3"]' })).toBe('1 2 3 ');
  });
  it('invalid JSON is an error', async () => {
    expect(await renderError('{{json "{nope"}}')).toMatch(/^error calling json: invalid JSON/);
  });
});

describe('base64 and parseBool', () => {
  it('round-trips', async () => {
    expect(await render('{{base64Encode "Value"}} {{base64Decode "VmFsdWU="}}')).toBe('VmFsdWU= Value');
  });
  it('bad base64 names the byte', async () => {
    expect(await renderError('{{base64Decode "abc!"}}')).toBe('error calling base64Decode: illegal base64 data at input byte 3');
  });
  it.each(['1', 't', 'T', 'TRUE', 'true', 'True'])('parseBool %s', async (v) => expect(await render(`{{parseBool "${v}"}}`)).toBe('true'));
  it.each(['0', 'f', 'F', 'FALSE', 'false', 'False'])('parseBool %s', async (v) => expect(await render(`{{parseBool "${v}"}}`)).toBe('false'));
  it('parseBool rejects yes like Go, without printing the value', async () => {
    expect(await renderError('{{parseBool "yes"}}')).toBe('error calling parseBool: strconv.ParseBool: parsing (value not shown): invalid syntax');
  });
});

describe('integer math', () => {
  it.each([
    ['{{add 1 2}}', '3'], ['{{sub 1 2}}', '-1'], ['{{mul 3 4}}', '12'], ['{{div 9 2}}', '4'], ['{{div -9 2}}', '-4'], ['{{mod 9 2}}', '1'],
    ['{{seq 1 3}}', '[1 2 3]'], ['{{seq 3 1}}', '[]'], ['{{atoi "42"}}', '42'], ['{{add (atoi "40") 2}}', '42'],
  ])('%s → %s', async (tpl, out) => expect(await render(tpl)).toBe(out));
  it('seq with atoi (confd unit test)', async () => {
    expect(await render('{{seq 1 (atoi (getv "/test/count"))}}', { '/test/count': '3' })).toBe('[1 2 3]');
  });
  it('division and modulo by zero are errors', async () => {
    expect(await renderError('{{div 1 0}}')).toBe('error calling div: runtime error: integer divide by zero');
    expect(await renderError('{{mod 1 0}}')).toBe('error calling mod: runtime error: integer divide by zero');
  });
  it('strings are not integers, as in Go', async () => {
    expect(await renderError('{{add "1" 2}}')).toBe('error calling add: expected integer; found "1"');
  });
  it('atoi rejects non-numbers, without printing the value', async () => {
    expect(await renderError('{{atoi "x"}}')).toBe('error calling atoi: strconv.Atoi: parsing (value not shown): invalid syntax');
  });
});

describe('map, reverse, sortByLength, sortKVByLength', () => {
  it('map builds a map', async () => {
    expect(await render('{{#with (map "a" "1" "b" "2")}}{{a}}{{b}}{{/with}} {{map "b" 2 "a" 1}}')).toBe('12 map[a:1 b:2]');
  });
  it('map rejects odd arguments and non-string keys', async () => {
    expect(await renderError('{{map "a"}}')).toBe('error calling map: invalid map call');
    expect(await renderError('{{map 1 2}}')).toBe('error calling map: map keys must be strings');
  });
  it('reverse returns a reversed copy', async () => {
    expect(await render('{{reverse (getvs "/x/*")}} {{getvs "/x/*"}}', { '/x/a': '1', '/x/b': '2', '/x/c': '3' })).toBe('[3 2 1] [1 2 3]');
    expect(await render('{{#each (reverse (gets "/x/*"))}}{{Key}} {{/each}}', { '/x/a': '1', '/x/b': '2' })).toBe('/x/b /x/a ');
  });
  it('sortByLength sorts strings by length', async () => {
    expect(await render('{{sortByLength (split "ccc,a,bb" ",")}}')).toBe('[a bb ccc]');
  });
  it('sortKVByLength sorts pairs by key length', async () => {
    expect(await render('{{#each (sortKVByLength (gets "/k/*"))}}{{Key}} {{/each}}', { '/k/ccc': '1', '/k/a': '2', '/k/bb': '3' })).toBe('/k/a /k/bb /k/ccc ');
  });
});

describe('Go builtins for ported templates', () => {
  it.each([
    ['{{#if (eq (getv "/e") "prod")}}P{{else}}D{{/if}}', 'P'], ['{{eq 1 2 1}}', 'true'], ['{{ne "a" "b"}}', 'true'],
    ['{{lt 1 2}} {{le 2 2}} {{gt 1 2}} {{ge "b" "a"}}', 'true true false true'],
    ['{{and 1 0}} {{or 0 "x"}} {{not ""}}', '0 x true'], ['{{len (split "a,b,c" ",")}} {{len "abcd"}}', '3 4'],
    ['{{printf "%s:%d" "host" 80}}', 'host:80'], ['{{printf "%05d|%-4s|%.2f|%q|%v" 42 "ab" 3.14159 "x" (seq 1 2)}}', '00042|ab  |3.14|"x"|[1 2]'],
  ])('%s → %s', async (tpl, out) => expect(await render(tpl, { '/e': 'prod' })).toBe(out));
});
