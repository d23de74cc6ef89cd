/**
 * One render pass fetches once per backend, for the union of every resource's keys.
 * The backend here is the real file backend wrapped to count its calls.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileDatabase } from '../../builtin/databases/file/index.js';
import { CountingDatabase } from '../helpers/counting-database.js';
import { silentLogger } from '../../src/log/logger.js';
import { renderPass, singleBackend } from '../../src/resource/pass.js';
import type { TemplateResource } from '../../src/resource/template-resource.js';
import { TemplateEngine } from '../../src/template/index.js';


function resource(root: string, i: number): TemplateResource {
  const id = String(i).padStart(4, '0');
  return {
    file: join(root, 'conf.d', `s${id}.toml`),
    src: join(root, 'templates', 'svc.tmpl'),
    dest: join(root, 'out', `s${id}.conf`),
    prefix: `/svc/s${id}`,
    keys: [`/svc/s${id}`],
    makeDirectories: false,
    checkCmdTimeoutMs: 30_000,
    reloadCmdTimeoutMs: 60_000,
    backends: ['default'],
  };
}

describe('render pass', () => {
  it('renders 1000 resources with a single getValues call', async () => {
    const root = mkdtempSync(join(tmpdir(), 'confd-pass-'));
    mkdirSync(join(root, 'templates'));
    mkdirSync(join(root, 'out'));
    const data: Record<string, Record<string, string>> = {};
    for (let i = 0; i < 1000; i++) {
      const entry: Record<string, string> = {};
      for (let k = 0; k < 10; k++) entry[`k${k}`] = `v${i}-${k}`;
      data[`s${String(i).padStart(4, '0')}`] = entry;
    }
    writeFileSync(join(root, 'data.json'), JSON.stringify({ svc: data }));
    writeFileSync(join(root, 'templates', 'svc.tmpl'), 'first={{getv "/k0"}}\n{{#each (gets "/*")}}{{Key}}={{Value}}\n{{/each}}');
    const file = new FileDatabase();
    await file.configure({ yamlFile: join(root, 'data.json') });
    const db = new CountingDatabase(file);
    const resources = Array.from({ length: 1000 }, (_, i) => resource(root, i));

    const { outcomes } = await renderPass(resources, singleBackend({ database: db, name: 'file' }), {
      noop: false, diff: false, syncOnly: false, keepStageFile: false, logger: silentLogger, engine: new TemplateEngine(),
    });

    expect(outcomes.filter((o) => !o.ok).map((o) => o.error?.message)).toEqual([]);
    expect(db.calls).toHaveLength(1);
    expect(db.calls[0]).toHaveLength(1000);
    const out = readFileSync(join(root, 'out', 's0042.conf'), 'utf8');
    expect(out.startsWith('first=v42-0\n/k0=v42-0\n/k1=v42-1\n')).toBe(true);
    expect(out.split('\n').filter(Boolean)).toHaveLength(11);

    // A second pass over unchanged data writes nothing and still fetches once.
    const { outcomes: again } = await renderPass(resources, singleBackend({ database: db, name: 'file' }), {
      noop: false, diff: false, syncOnly: false, keepStageFile: false, logger: silentLogger, engine: new TemplateEngine(),
    });
    expect(again.every((o) => o.ok && !o.changed)).toBe(true);
    expect(db.calls).toHaveLength(2);
  });
});
