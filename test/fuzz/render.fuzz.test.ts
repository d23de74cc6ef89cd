/**
 * The fuzz corpus for rendering: random and mutated templates through a real render
 * pass, and random resources through the real CLI. A failure is a clear error (a
 * ConfdError in the outcome; exit status 1 with no stack trace from the CLI) and
 * writes nothing: no dest, no stage file. See fuzz.ts for the seed and count.
 */
import fc from 'fast-check';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log/logger.js';
import { renderFromSnapshots } from '../../src/resource/pass.js';
import { KeySnapshot } from '../../src/resource/snapshot.js';
import type { TemplateResource } from '../../src/resource/template-resource.js';
import { TemplateEngine } from '../../src/template/index.js';
import { runConfd } from '../helpers/run-confd.js';
import { expectClearError, fuzzParameters, junk, mutated } from './fuzz.js';

const TEMPLATES = [
  'host={{getv "/app/host"}}\nport={{getv "/app/port" "80"}}\n',
  '{{#each (gets "/app/*")}}{{Key}}={{Value}}\n{{/each}}{{#if (exists "/app/x")}}x{{else}}none{{/if}}\n',
  '{{#each (lsdir "/")}}{{this}} {{toUpper (base this)}}\n{{/each}}{{join (split "a,b" ",") ";"}} {{add 1 (atoi "2")}} {{json "{\\"a\\":1}"}}\n',
  '{{#with (json (getv "/app/doc"))}}{{a}}{{/with}} {{printf "%s-%d" "x" 3}} {{len (ls "/app")}} {{#each (seq 1 3)}}{{this}}{{/each}}\n',
];
// Template tokens; no DNS helpers (they would reach the network) and small numbers only.
const TOKENS = [
  '{{', '}}', '{{#each ', '{{/each}}', '{{#if ', '{{else}}', '{{/if}}', '{{#with ', '{{/with}}', '(', ')', '"', ' ', '\n', '/app', '/app/*', '"/app/host"',
  'getv', 'gets', 'getvs', 'ls', 'lsdir', 'exists', 'get', 'json', 'jsonArray', 'atoi', 'parseBool', 'split', 'join', 'base', 'dir', 'index', 'len',
  'reverse', 'sortByLength', 'printf', 'add', 'div', 'mod', 'seq', 'eq', 'and', 'not', 'this', 'Key', 'Value', '..', '@index', '0', '1', '7', '{{!', '{{>', '{{{', '}}}', '\\',
];
const template = fc.oneof(mutated(TEMPLATES), fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((t) => t.join('')), junk);
const snapshot = new KeySnapshot({ '/app/host': 'db.internal', '/app/port': '5432', '/app/doc': '{"a": 1}', '/app/list/0': 'x', '/other/y': 'z' });

describe('fuzz: rendering ends in output or a clear error, and a failure writes nothing', () => {
  it('templates through a render pass', async () => {
    const root = mkdtempSync(join(tmpdir(), 'confd-fuzz-render-'));
    let counter = 0;
    await fc.assert(
      fc.asyncProperty(template, async (text) => {
        const dir = join(root, String(counter++));
        mkdirSync(join(dir, 'out'), { recursive: true });
        writeFileSync(join(dir, 'case.tmpl'), text);
        const resource: TemplateResource = {
          file: join(dir, 'case.toml'), src: join(dir, 'case.tmpl'), dest: join(dir, 'out', 'case.conf'), prefix: '/', keys: ['/app', '/other'],
          makeDirectories: false, checkCmdTimeoutMs: 30_000, reloadCmdTimeoutMs: 60_000, backends: ['default'],
        };
        const fetched = { snapshots: new Map([['default', snapshot]]), failures: new Map() };
        const [outcome] = await renderFromSnapshots([resource], fetched, {
          noop: false, diff: false, syncOnly: false, keepStageFile: false, logger: silentLogger, engine: new TemplateEngine({ env: {} }),
        });
        if (outcome.ok) {
          expect(readdirSync(join(dir, 'out'))).toEqual(['case.conf']);
        } else {
          expectClearError(outcome.error);
          expect(readdirSync(join(dir, 'out'))).toEqual([]);
        }
      }),
      fuzzParameters(),
    );
    rmSync(root, { recursive: true, force: true });
  });

  it('resources through the CLI: exit 0, or exit 1 with a clear message and nothing written', async () => {
    const seeds = [
      '[template]\nsrc = "t.tmpl"\ndest = "OUT/a.conf"\nkeys = ["/app"]\nmode = "0640"\n',
      '[template]\nsrc = "t.tmpl"\ndest = "OUT/b.conf"\nkeys = ["/app"]\nmin_keys = 1\ncheck_cmd = "test -s {{.src}}"\n',
    ];
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated(seeds), junk), async (text) => {
        const root = mkdtempSync(join(tmpdir(), 'confd-fuzz-cli-'));
        const out = join(root, 'out');
        mkdirSync(join(root, 'conf.d'), { recursive: true });
        mkdirSync(join(root, 'templates'));
        mkdirSync(out);
        writeFileSync(join(root, 'templates', 't.tmpl'), 'host={{getv "/app/host"}}\n');
        writeFileSync(join(root, 'conf.d', 'case.toml'), text.replaceAll('OUT', out));
        const run = await runConfd(['render', '--backend', 'env', '--confdir', root], { env: { APP_HOST: 'h' }, cleanEnv: true });
        expect(run.signal).toBeNull();
        expect([0, 1]).toContain(run.code);
        expect(run.stderr).not.toMatch(/\n\s+at /);
        if (run.code === 1) {
          expect(run.stderr).toMatch(/ERROR /);
          expect(readdirSync(out)).toEqual([]);
        }
        expect(existsSync(join(root, 'conf.d', 'case.toml'))).toBe(true);
        rmSync(root, { recursive: true, force: true });
      }),
      fuzzParameters(0.1),
    );
  });
});
