/**
 * Data files are hostile input: every parse is bounded (size, alias expansion, nesting),
 * never blocks on a FIFO, and YAML merge keys expand as YAML 1.1 users expect.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileDatabase } from '../../builtin/databases/file/index.js';
import { MAX_DATA_FILE_BYTES, parseDataText } from '../../builtin/databases/file/parse.js';
import { formatError } from '../../src/errors.js';
import { yamlAliasBomb } from '../helpers/hostile-input.js';

function dataFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'confd-limits-')), name);
  writeFileSync(path, text);
  return path;
}

async function values(path: string, prefixes = ['/']): Promise<Record<string, string>> {
  const db = new FileDatabase();
  await db.configure({ yamlFile: path });
  return db.getValues(prefixes);
}

async function failure(path: string): Promise<string> {
  const db = new FileDatabase();
  await db.configure({ yamlFile: path });
  return formatError(await db.getValues(['/']).then(() => undefined, (e: unknown) => e));
}

describe('data file limits', () => {
  it('a YAML alias bomb is refused with a clear error naming the file', async () => {
    const path = dataFile('bomb.yaml', yamlAliasBomb());
    expect(yamlAliasBomb().length).toBeLessThan(600);
    expect(await failure(path)).toMatch(new RegExp(`^${path}:\\d+: YAML aliases expand to more than 100000 values`));
  });

  it('an alias that contains itself is refused, not followed forever', async () => {
    expect(await failure(dataFile('self.yaml', 'a: &a\n  b: *a\n'))).toContain('nested deeper than 256 levels (or an alias that contains itself)');
  });

  it('nesting is bounded in YAML, JSON and TOML', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    expect(await failure(dataFile('deep.yaml', deep))).toMatch(/invalid YAML: .*nested|nested deeper/);
    expect(await failure(dataFile('deep.json', deep))).toContain('data nested deeper than 256 levels');
    expect(await failure(dataFile('deep.toml', `a = ${deep}`))).toMatch(/invalid TOML: .*nested/);
  });

  it('a file over the size limit is refused before it is read', async () => {
    const path = dataFile('huge.yaml', '');
    truncateSync(path, MAX_DATA_FILE_BYTES + 1); // sparse: no disk space used
    expect(await failure(path)).toContain(`${MAX_DATA_FILE_BYTES + 1} bytes is more than the limit of ${MAX_DATA_FILE_BYTES} bytes`);
  });

  it('a FIFO given as a data file is refused, never opened for a blocking read', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'confd-limits-')), 'data.yaml');
    execFileSync('mkfifo', [path]);
    expect(await failure(path)).toContain('cannot read data file: not a regular file');
  });

  it('a data key with ".." does not move its subtree: the key is handed on verbatim for the pass to drop', async () => {
    const path = dataFile('keys.yaml', 'zz:\n  "../db":\n    host: attacker\ndb:\n  port: 1\n');
    expect(await values(path, ['/db'])).toEqual({ '/db/port': '1' });
    expect(await values(path, ['/zz'])).toEqual({ '/zz/../db/host': 'attacker' });
  });
});

describe('YAML merge keys', () => {
  const parse = (text: string) => parseDataText('x.yaml', text);

  it('<<: *anchor copies the keys the map does not set itself', () => {
    const data = parse('base: &base\n  host: h\n  port: 1\napp:\n  <<: *base\n  port: 9\nfirst:\n  port: 8\n  <<: *base\n');
    expect(data).toEqual({ base: { host: 'h', port: 1 }, app: { host: 'h', port: 9 }, first: { port: 8, host: 'h' } });
  });

  it('<<: [*a, *b] merges several maps, earlier ones winning; an inline map merges too', () => {
    const data = parse('a: &a\n  x: a\n  y: a\nb: &b\n  y: b\n  z: b\nm:\n  <<: [*a, *b, {w: inline, x: inline}]\n');
    expect((data as Record<string, unknown>).m).toEqual({ x: 'a', y: 'a', z: 'b', w: 'inline' });
  });

  it('keys stay strings in merged maps (on: is the key "on"), and a quoted "<<" is an ordinary key', () => {
    const data = parse('base: &base\n  on: yes\n  off: no\napp:\n  <<: *base\nlit:\n  "<<": plain\n');
    expect(data).toEqual({ base: { on: true, off: false }, app: { on: true, off: false }, lit: { '<<': 'plain' } });
  });

  it('flattens merged keys into confd keys', async () => {
    const path = dataFile('merge.yaml', 'defaults: &d\n  timeout: 30\nsvc:\n  <<: *d\n  name: api\n');
    expect(await values(path, ['/svc'])).toEqual({ '/svc/timeout': '30', '/svc/name': 'api' });
  });

  it('merging a scalar is an error with the line', () => {
    let error: unknown;
    try {
      parse('s: &s 1\nm:\n  <<: *s\n');
    } catch (caught) {
      error = caught;
    }
    expect(formatError(error)).toMatch(/^x\.yaml:3: a merge key \(<<\) needs a map/);
  });
});
