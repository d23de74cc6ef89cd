/**
 * A pass over resources reading several backends: one getValues per backend, keys
 * merged in the resource's order (later wins), and a failing backend stops only the
 * resources that read it. Real file backends; a wrapper counts their calls.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileDatabase } from '../../builtin/databases/file/index.js';
import { withPrefix } from '../../src/backends/prefixed.js';
import { CountingDatabase } from '../helpers/counting-database.js';
import { silentLogger } from '../../src/log/logger.js';
import { LastGoodValues } from '../../src/resource/last-good.js';
import { renderPass, type PassBackends } from '../../src/resource/pass.js';
import type { TemplateResource } from '../../src/resource/template-resource.js';
import { TemplateEngine } from '../../src/template/index.js';


async function fileBackend(path: string, text: string): Promise<CountingDatabase> {
  writeFileSync(path, text);
  const db = new FileDatabase();
  await db.configure({ yamlFile: path });
  return new CountingDatabase(db);
}

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'confd-multi-'));
  mkdirSync(join(root, 'templates'));
  mkdirSync(join(root, 'out'));
  writeFileSync(join(root, 'templates', 'app.tmpl'), 'name={{getv "/name"}} port={{getv "/port"}}\n');
  const resource = (id: string, backends: string[]): TemplateResource => ({
    file: join(root, 'conf.d', `${id}.toml`),
    src: join(root, 'templates', 'app.tmpl'),
    dest: join(root, 'out', `${id}.conf`),
    prefix: '/app',
    keys: ['/app'],
    backends,
    makeDirectories: false,
    checkCmdTimeoutMs: 30_000,
    reloadCmdTimeoutMs: 60_000,
  });
  const read = (id: string) => readFileSync(join(root, 'out', `${id}.conf`), 'utf8');
  return { root, resource, read };
}

const options = () => ({ noop: false, diff: false, syncOnly: false, keepStageFile: false, logger: silentLogger, engine: new TemplateEngine() });

describe('a pass over several backends', () => {
  it('fetches once per backend and merges keys in the resource order, later wins', async () => {
    const { root, resource, read } = setup();
    const base = await fileBackend(join(root, 'base.yaml'), 'app:\n  name: base\n  port: 80\n');
    const override = await fileBackend(join(root, 'override.yaml'), 'app:\n  port: 8080\n');
    const backends: PassBackends = new Map([
      ['default', { database: base, name: 'file' }],
      ['override', { database: override, name: 'override (file)' }],
    ]);
    const resources = [resource('plain', ['default']), resource('merged', ['default', 'override']), resource('reversed', ['override', 'default'])];
    const { outcomes, failures } = await renderPass(resources, backends, options());
    expect(outcomes.map((o) => o.error?.message)).toEqual([undefined, undefined, undefined]);
    expect(failures.size).toBe(0);
    expect(read('plain')).toBe('name=base port=80\n');
    expect(read('merged')).toBe('name=base port=8080\n');
    expect(read('reversed')).toBe('name=base port=80\n');
    expect(base.calls).toEqual([['/app']]);
    expect(override.calls).toEqual([['/app']]);
  });

  it('a failing backend fails only the resources that read it, once, by name', async () => {
    const { root, resource, read } = setup();
    const good = await fileBackend(join(root, 'good.yaml'), 'app:\n  name: good\n  port: 1\n');
    const broken = await fileBackend(join(root, 'broken.yaml'), 'app:\n  name: x\n  port: 2\n');
    rmSync(join(root, 'broken.yaml'));
    const backends: PassBackends = new Map([
      ['default', { database: good, name: 'file' }],
      ['broken', { database: broken, name: 'broken (file)' }],
    ]);
    const { outcomes, failures } = await renderPass([resource('ok', ['default']), resource('mixed', ['default', 'broken'])], backends, options());
    expect(outcomes[0].ok).toBe(true);
    expect(read('ok')).toBe('name=good port=1\n');
    expect(outcomes[1]).toMatchObject({ ok: false, changed: false, backendFailed: 'broken' });
    expect(outcomes[1].error?.message).toMatch(/^not rendered: backend broken failed: /);
    expect([...failures.keys()]).toEqual(['broken']);
    expect(failures.get('broken')?.context.backend).toBe('broken (file)');
    expect(() => read('mixed')).toThrow(/ENOENT/);
  });

  it('with last good values, a failing backend\'s resources render from what it last returned', async () => {
    const { root, resource, read } = setup();
    const path = join(root, 'data.yaml');
    const db = await fileBackend(path, 'app:\n  name: first\n  port: 1\n');
    const backends: PassBackends = new Map([['default', { database: db, name: 'file' }]]);
    const lastGood = new LastGoodValues();
    await renderPass([resource('a', ['default'])], backends, { ...options(), lastGood });
    rmSync(path);
    rmSync(join(root, 'out', 'a.conf'));
    const { outcomes, failures } = await renderPass([resource('a', ['default'])], backends, { ...options(), lastGood });
    expect(failures.has('default')).toBe(true); // still reported, so the daemon retries it
    expect(outcomes[0].ok).toBe(true);
    expect(read('a')).toBe('name=first port=1\n');
  });

  it('last good values never stand in for prefixes that were never fetched', () => {
    const lastGood = new LastGoodValues();
    lastGood.record('default', ['/app'], { '/app/name': 'x', '/app/port': '1' });
    expect(lastGood.values('default', ['/app/name'])).toEqual({ '/app/name': 'x' });
    expect(lastGood.values('default', ['/other'])).toBeUndefined();
    lastGood.record('default', ['/app'], { '/app/name': 'y' });
    expect(lastGood.values('default', ['/app'])).toEqual({ '/app/name': 'y' }); // /app/port is gone now
  });
});

describe('a backend prefix', () => {
  it('is joined in front of every key asked for and stripped from every key returned', async () => {
    const root = mkdtempSync(join(tmpdir(), 'confd-prefix-'));
    const db = await fileBackend(join(root, 'd.yaml'), 'production:\n  app:\n    db: prod-db\nstaging:\n  app:\n    db: staging-db\n');
    const production = withPrefix(db, '/production');
    expect(await production.getValues(['/app'])).toEqual({ '/app/db': 'prod-db' });
    expect(db.calls.at(-1)).toEqual(['/production/app']);
    expect(await withPrefix(db, '/').getValues(['/staging/app'])).toEqual({ '/staging/app/db': 'staging-db' });
  });
});
