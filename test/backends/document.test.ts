import { describe, expect, it } from 'vitest';
import { detectFormat, DocumentSyntaxError, parseDocumentText, parseFormatSetting } from '../../builtin/databases/document/index.js';
import { jsonErrorOffset } from '../../builtin/databases/document/json-error.js';
import { DocumentSplitter } from '../../builtin/databases/exec/document-splitter.js';

function syntaxError(text: string, format: Parameters<typeof parseDocumentText>[1]): DocumentSyntaxError {
  try {
    parseDocumentText(text, format);
  } catch (error) {
    if (error instanceof DocumentSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a syntax error');
}

describe('documents (exec and http output)', () => {
  it('flattens JSON, YAML and TOML exactly like the file backend', () => {
    expect(parseDocumentText('{"db": {"port": 3306, "big": 1e6, "on": true}, "hosts": ["a", "b"], "none": null}', 'auto')).toEqual({
      '/db/port': '3306', '/db/big': '1000000', '/db/on': 'true', '/hosts/0': 'a', '/hosts/1': 'b',
    });
    // YAML 1.1 values, keys kept as written (`on:` stays a key).
    expect(parseDocumentText('db:\n  on: yes\n  ratio: 1.5\n', 'auto')).toEqual({ '/db/on': 'true', '/db/ratio': '1.5' });
    expect(parseDocumentText('[db]\nport = 5432\n', 'toml')).toEqual({ '/db/port': '5432' });
  });

  it('reads NAME=value lines with the env backend mapping, quotes and comments', () => {
    const text = '# comment\nDATABASE_HOST=db.local\nexport KAFKA_BROKER__ID=7\nGREETING="a \\"b\\"\\n"\nRAW=\'$x #y\'\nTRIMMED=  v  \n';
    expect(detectFormat('DATABASE_HOST=db.local\n')).toBe('env');
    expect(parseDocumentText(text, 'env')).toEqual({
      '/database/host': 'db.local', '/kafka/broker_id': '7', '/greeting': 'a "b"\n', '/raw': '$x #y', '/trimmed': 'v',
    });
  });

  it('picks the format by the text when auto', () => {
    expect(detectFormat('  {"a": 1}')).toBe('json');
    expect(detectFormat('[1]')).toBe('json');
    expect(detectFormat('A=1\n\n# c\nB=2\n')).toBe('env');
    expect(detectFormat('a: 1\nB=2\n')).toBe('yaml');
    expect(parseDocumentText('', 'auto')).toEqual({});
  });

  it('names the first bad line of JSON, YAML and env output', () => {
    const json = syntaxError('{\n  "a": 1,\n  "b": }\n', 'json');
    expect(json.line).toBe(3);
    expect(json.message).toBe(`invalid JSON at line 3: Unexpected token '}' (line: "  \\"b\\": }")`);
    const yaml = syntaxError('a: 1\nb: [\n', 'yaml');
    expect(yaml.message).toMatch(/^invalid YAML at line \d: /);
    const env = syntaxError('A=1\nnot an assignment\n', 'env');
    expect(env.line).toBe(2);
    expect(env.message).toBe('invalid ENV at line 2: expected NAME=value (line: "not an assignment")');
    expect(syntaxError('A="open\n', 'env').message).toMatch(/missing closing "/);
  });

  it('locates JSON errors by offset', () => {
    expect(jsonErrorOffset('{"a": 1}')).toBe(8);
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset('[1, 2')).toBe(5);
    expect(jsonErrorOffset('{"a": tru}')).toBe(9);
    expect(jsonErrorOffset('{"a": "\\x"}')).toBe(8);
    expect(jsonErrorOffset('{} x')).toBe(3);
  });

  it('accepts format settings and refuses others', () => {
    expect(parseFormatSetting('', 'exec')).toBe('auto');
    expect(parseFormatSetting('YML', 'exec')).toBe('yaml');
    expect(() => parseFormatSetting('xml', 'exec')).toThrow(/invalid format "xml": use json, yaml, toml, env or auto/);
  });
});

describe('stream document splitting', () => {
  it('cuts NDJSON at newlines, holding a partial line', () => {
    const splitter = new DocumentSplitter('auto');
    expect(splitter.push('{"a": 1}\n{"a"')).toEqual(['{"a": 1}']);
    expect(splitter.push(': 2}\n\n')).toEqual(['{"a": 2}']);
    expect(splitter.push('{"a": 3}')).toEqual([]);
    expect(splitter.end()).toEqual(['{"a": 3}']);
  });

  it('cuts YAML at --- and ... lines, dropping empty documents', () => {
    const splitter = new DocumentSplitter('auto');
    expect(splitter.push('---\na: 1\nb: 2\n---\n')).toEqual(['a: 1\nb: 2\n']);
    expect(splitter.push('a: 3\n..')).toEqual([]);
    expect(splitter.push('.\n')).toEqual(['a: 3\n']);
    expect(splitter.push('a: 4\n')).toEqual([]);
    expect(splitter.end()).toEqual(['a: 4\n']);
  });

  it('uses separators for env documents and lines for json when told', () => {
    expect(new DocumentSplitter('separated').push('A=1\nB=2\n---\n')).toEqual(['A=1\nB=2\n']);
    expect(new DocumentSplitter('lines').push('[1]\n[2]\n')).toEqual(['[1]', '[2]']);
  });
});
