import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileDatabase } from '../../builtin/databases/file/index.js';
import { formatNumber } from '../../builtin/databases/file/flatten.js';
import { formatError } from '../../src/errors.js';

function dataDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'confd-file-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function open(paths: string[], filter = '*'): Promise<FileDatabase> {
  const db = new FileDatabase();
  await db.configure({ yamlFile: paths.join(','), filter });
  return db;
}

describe('file backend', () => {
  it('flattens YAML maps and lists and stringifies scalars as confd does', async () => {
    const dir = dataDir({
      'a.yaml': 'db:\n  port: 3306\n  ratio: 1.5\n  big: 1e6\n  on: yes\n  off: false\n  none: null\nhosts:\n  - name: a\n  - name: b\n',
    });
    const db = await open([dir]);
    expect(await db.getValues(['/'])).toEqual({
      '/db/port': '3306', '/db/ratio': '1.5', '/db/big': '1000000', '/db/on': 'true', '/db/off': 'false',
      '/hosts/0/name': 'a', '/hosts/1/name': 'b',
    });
  });
  it('reads JSON and TOML, and later files override earlier ones', async () => {
    const dir = dataDir({ '1.json': '{"a": {"b": "json", "c": 1}}', '2.toml': '[a]\nb = "toml"\n' });
    expect(await (await open([dir])).getValues(['/a'])).toEqual({ '/a/b': 'toml', '/a/c': '1' });
  });
  it('filters base names while walking directories', async () => {
    const dir = dataDir({ 'x.yaml': 'x: 1', 'y.json': '{"y": 2}', 'sub/z.yaml': 'z: 3' });
    expect(await (await open([dir], '*.yaml')).getValues(['/'])).toEqual({ '/x': '1', '/z': '3' });
  });
  it('matches prefixes by whole segment', async () => {
    const dir = dataDir({ 'a.yaml': 'app:\n  x: 1\napplication:\n  y: 2\n' });
    expect(await (await open([dir])).getValues(['/app'])).toEqual({ '/app/x': '1' });
  });
  it('reports malformed YAML with file and line', async () => {
    const dir = dataDir({ 'bad.yaml': 'a: 1\nb: [\n' });
    const error = await (await open([dir])).getValues(['/']).catch((e: unknown) => e);
    expect(formatError(error)).toMatch(new RegExp(`^${join(dir, 'bad.yaml')}:\\d+:\\d+: invalid YAML`));
  });
  it('reports a missing path', async () => {
    const error = await (await open(['/nonexistent/data.yaml'])).getValues(['/']).catch((e: unknown) => e);
    expect(formatError(error)).toContain('/nonexistent/data.yaml');
  });
  it('formats numbers like Go FormatFloat(f, -1)', () => {
    expect(formatNumber(1e21)).toBe('1000000000000000000000');
    expect(formatNumber(1.5e-7)).toBe('0.00000015');
    expect(formatNumber(-2.5)).toBe('-2.5');
  });
});
