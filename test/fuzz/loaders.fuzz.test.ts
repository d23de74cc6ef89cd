/**
 * The fuzz corpus for every loader of hostile or hand-written input: resources
 * (TOML/YAML), confd.toml/confd.yaml, data files and plugin handshake lines. Each case
 * ends in a value or a clear error (ConfdError; HandshakeError for handshakes): never a
 * TypeError, a stack trace, a hang or a crash. None of these loaders writes anything.
 * See fuzz.ts for the seed, the count and how to run longer.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as toToml } from 'smol-toml';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { flatten } from '../../builtin/databases/file/flatten.js';
import { parseDataText } from '../../builtin/databases/file/parse.js';
import { loadSettings } from '../../src/config/load.js';
import { defaultSettings } from '../../src/config/settings.js';
import { HandshakeError, parseHandshake } from '../../src/plugin/protocol/handshake.js';
import { loadResourceFile } from '../../src/resource/load.js';
import { expectClearError, fuzzParameters, junk, mutated } from './fuzz.js';

const root = mkdtempSync(join(tmpdir(), 'confd-fuzz-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
function fileWith(ext: string, text: string): string {
  const dir = join(root, String(counter++));
  mkdirSync(dir);
  const path = join(dir, `case${ext}`);
  writeFileSync(path, text);
  return path;
}

const RESOURCE_TOML = [
  '[template]\nsrc = "app.tmpl"\ndest = "/tmp/app.conf"\nkeys = ["/app", "/db"]\nmode = "0644"\nmin_keys = 1\n',
  '[template]\nsrc = "a.tmpl"\ndest = "out/a.conf"\nprefix = "/p"\nkeys = []\nowner = "nobody"\ncheck_cmd = "true {{.src}}"\nreload_cmd = "true"\ncheck_cmd_timeout = "5s"\nwait = "1s:2s"\n',
];
const RESOURCE_YAML = [
  'template:\n  src: app.tmpl\n  dest: /tmp/app.conf\n  keys:\n    - /app\n  mode: "0600"\n  make_directories: true\n',
  'base: &b\n  src: a.tmpl\n  dest: /tmp/a.conf\ntemplate:\n  <<: *b\n  keys: [/x]\n',
];
const CONFIG_TOML = ['backend = "file"\nfile = ["/tmp/data.yaml"]\ninterval = 10\nprefix = "/p"\nmin_keys = 2\n[backend_config]\nx = "1"\n', 'nodes = ["http://127.0.0.1:2379"]\nlog-level = "debug"\nwait = "2s:10s"\nnoop = true\ndiff = true\ndiff_redact = true\n'];
const CONFIG_YAML = ['backend: env\nprefix: /app\ninterval: 5\nplugin_dir: [/opt/p]\n'];
const DATA = {
  '.yaml': ['db:\n  host: h\n  port: 5432\nlist: [a, b]\non: yes\nbase: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n', 'a: &a [1, 2]\nb: [*a, *a]\n'],
  '.json': ['{"db": {"host": "h", "port": 5432, "list": [1, 2.5, true, null]}}'],
  '.toml': ['[db]\nhost = "h"\nport = 5432\n[[servers]]\nname = "a"\n'],
};

/** A resource table with known field names and values of any type, as TOML or YAML. */
const structuredResource = fc
  .tuple(
    fc.dictionary(
      fc.constantFrom('src', 'dest', 'keys', 'prefix', 'mode', 'uid', 'owner', 'check_cmd', 'reload_cmd', 'make_directories', 'check_cmd_timeout', 'wait', 'min_keys', 'unknown'),
      fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.string(), { maxLength: 3 }), fc.double(), fc.constant([])),
    ),
    fc.boolean(),
  )
  .map(([table, asToml]) => {
    try {
      return asToml ? { ext: '.toml', text: toToml({ template: table }) } : { ext: '.yaml', text: toYaml({ template: table }) };
    } catch {
      return { ext: '.yaml', text: toYaml({ template: table }) };
    }
  });

describe('fuzz: loaders end in a value or a clear error', () => {
  it('template resources (TOML and YAML)', async () => {
    const settings = { ...defaultSettings(), confdir: root };
    const input = fc.oneof(
      mutated(RESOURCE_TOML).map((text) => ({ ext: '.toml', text })),
      mutated(RESOURCE_YAML).map((text) => ({ ext: '.yaml', text })),
      structuredResource,
      junk.map((text) => ({ ext: '.toml', text })),
      junk.map((text) => ({ ext: '.yml', text })),
    );
    await fc.assert(
      fc.asyncProperty(input, async ({ ext, text }) => {
        const loaded = await loadResourceFile(fileWith(ext, text), settings, []);
        if (loaded.error) expectClearError(loaded.error);
        else expect(loaded.resource?.dest).toMatch(/^\//);
      }),
      fuzzParameters(),
    );
  });

  it('confd.toml and confd.yaml', async () => {
    const input = fc.oneof(
      mutated(CONFIG_TOML).map((text) => ({ name: 'confd.toml', text })),
      mutated(CONFIG_YAML).map((text) => ({ name: 'confd.yaml', text })),
      junk.map((text) => ({ name: 'confd.toml', text })),
      junk.map((text) => ({ name: 'confd.yaml', text })),
    );
    await fc.assert(
      fc.asyncProperty(input, async ({ name, text }) => {
        const dir = join(root, String(counter++));
        mkdirSync(dir);
        writeFileSync(join(dir, name), text);
        try {
          const { settings } = await loadSettings({ confdir: dir }, {});
          expect(typeof settings.backend).toBe('string');
        } catch (error) {
          expectClearError(error);
        }
        expect(readdirSync(dir)).toEqual([name]);
      }),
      fuzzParameters(),
    );
  });

  it('data files (YAML, JSON, TOML), parsed and flattened', () => {
    const input = fc.oneof(
      ...Object.entries(DATA).map(([ext, seeds]) => mutated(seeds).map((text) => ({ ext, text }))),
      fc.jsonValue().map((value) => ({ ext: '.json', text: JSON.stringify(value) })),
      fc.jsonValue().map((value) => ({ ext: '.yaml', text: toYaml(value) })),
      junk.map((text) => ({ ext: '.yaml', text })),
      junk.map((text) => ({ ext: '.toml', text })),
    );
    fc.assert(
      fc.property(input, ({ ext, text }) => {
        let data: unknown;
        try {
          data = parseDataText(`data${ext}`, text);
        } catch (error) {
          expectClearError(error);
          return;
        }
        for (const [key, value] of Object.entries(flatten(data))) {
          expect(key.startsWith('/')).toBe(true);
          expect(typeof value).toBe('string');
        }
      }),
      fuzzParameters(2),
    );
  });

  it('plugin handshake lines', () => {
    const field = fc.oneof(fc.constantFrom('1', '2', '0', 'unix', 'tcp', 'grpc', 'netrpc', '/tmp/p.sock', '127.0.0.1:1234', '10.0.0.1:80', ''), fc.string({ maxLength: 20 }));
    const line = fc.oneof(
      fc.array(field, { maxLength: 9 }).map((fields) => fields.join('|')),
      fc.tuple(fc.constantFrom('1|1|unix|/tmp/plugin1/plugin.sock|grpc|\n', '1|1|tcp|127.0.0.1:4000|grpc|'), fc.string({ maxLength: 3000 })).map(([a, b]) => a + b),
      junk,
    );
    fc.assert(
      fc.property(line, (text) => {
        try {
          const handshake = parseHandshake(text);
          expect(['unix', 'tcp']).toContain(handshake.network);
          expect(handshake.protocol).toBe('grpc');
        } catch (error) {
          expectClearError(error, HandshakeError);
          expect((error as Error).message.length).toBeLessThan(400);
        }
      }),
      fuzzParameters(2),
    );
  });
});
