/**
 * Choosing the template engine: `template_engine` (confd.toml/yaml, --template-engine,
 * CONFD_TEMPLATE_ENGINE) with the usual precedence, and `engine` per resource, which
 * overrides it. The render pass itself never asks which engine a resource uses.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/load.js';
import { defaultSettings } from '../../src/config/settings.js';
import { formatError } from '../../src/errors.js';
import { silentLogger } from '../../src/log/logger.js';
import { loadResources } from '../../src/resource/load.js';
import { renderFromSnapshots } from '../../src/resource/pass.js';
import { KeySnapshot } from '../../src/resource/snapshot.js';
import { TemplateEngine } from '../../src/template/engine.js';
import { fileTree } from '../helpers/file-tree.js';

const confdirWith = (files: Record<string, string>) => fileTree('confd-engine-', files);

describe('template_engine setting', () => {
  const fileDir = confdirWith({ 'confd.toml': 'template_engine = "go"\n' });
  const yamlDir = confdirWith({ 'confd.yaml': 'template_engine: go\n' });

  it('defaults to handlebars', async () => {
    expect((await loadSettings({ confdir: '/nonexistent' }, {})).settings.templateEngine).toBe('handlebars');
  });
  it('is read from confd.toml and confd.yaml', async () => {
    expect((await loadSettings({ confdir: fileDir }, {})).settings.templateEngine).toBe('go');
    expect((await loadSettings({ confdir: yamlDir }, {})).settings.templateEngine).toBe('go');
  });
  it('env beats the file, and the flag beats both', async () => {
    expect((await loadSettings({ confdir: fileDir }, { CONFD_TEMPLATE_ENGINE: 'handlebars' })).settings.templateEngine).toBe('handlebars');
    expect((await loadSettings({ confdir: '/nonexistent' }, { CONFD_TEMPLATE_ENGINE: 'go' })).settings.templateEngine).toBe('go');
    expect((await loadSettings({ confdir: fileDir, templateEngine: 'handlebars' }, { CONFD_TEMPLATE_ENGINE: 'go' })).settings.templateEngine).toBe('handlebars');
  });
  it('rejects an unknown engine, naming where it came from', async () => {
    const bad = confdirWith({ 'confd.toml': 'template_engine = "jinja"\n' });
    expect(formatError(await loadSettings({ confdir: bad }, {}).catch((e: unknown) => e))).toMatch(/template_engine.*expected handlebars or go, got "jinja"/);
    expect(formatError(await loadSettings({ confdir: '/nonexistent', templateEngine: 'mustache' }, {}).catch((e: unknown) => e))).toContain('--template-engine: expected handlebars or go, got "mustache"');
    expect(formatError(await loadSettings({ confdir: '/nonexistent' }, { CONFD_TEMPLATE_ENGINE: 'x' }).catch((e: unknown) => e))).toContain('CONFD_TEMPLATE_ENGINE');
  });
});

describe('engine per resource', () => {
  const resource = (name: string, extra = '') => `[template]\nsrc = "${name}.tmpl"\ndest = "/tmp/${name}"\n${extra}`;

  it('takes the global setting unless the resource names its own engine', async () => {
    const dir = confdirWith({
      'conf.d/a.toml': resource('a'),
      'conf.d/b.toml': resource('b', 'engine = "go"\n'),
      'conf.d/c.toml': resource('c', 'engine = "handlebars"\n'),
    });
    const byName = async (templateEngine: 'go' | 'handlebars') =>
      Object.fromEntries((await loadResources({ ...defaultSettings(), confdir: dir, templateEngine })).files.map((f) => [f.resource!.src.slice(-6), f.resource!.engine]));
    expect(await byName('handlebars')).toEqual({ 'a.tmpl': 'handlebars', 'b.tmpl': 'go', 'c.tmpl': 'handlebars' });
    expect(await byName('go')).toEqual({ 'a.tmpl': 'go', 'b.tmpl': 'go', 'c.tmpl': 'handlebars' });
  });

  it('rejects an unknown engine with the file and line', async () => {
    const dir = confdirWith({ 'conf.d/a.toml': resource('a', 'keys = []\nengine = "golang"\n') });
    const { files } = await loadResources({ ...defaultSettings(), confdir: dir });
    expect(formatError(files[0].error)).toBe(`${join(dir, 'conf.d/a.toml')}:5: engine: expected handlebars or go, got "golang"`);
  });

  it('one pass renders a Go and a Handlebars resource side by side from the same keys', async () => {
    const out = mkdtempSync(join(tmpdir(), 'confd-engine-out-'));
    const dir = confdirWith({
      'conf.d/go.toml': `[template]\nsrc = "go.tmpl"\ndest = "${out}/go.conf"\nkeys = ["/up"]\nengine = "go"\n`,
      'conf.d/hb.toml': `[template]\nsrc = "hb.tmpl"\ndest = "${out}/hb.conf"\nkeys = ["/up"]\n`,
      'templates/go.tmpl': 'upstream {\n{{- range gets "/up/*"}}\n  server {{.Value}};\n{{- end}}\n}\n',
      'templates/hb.tmpl': 'upstream {\n{{#each (gets "/up/*")}}\n  server {{Value}};\n{{/each}}\n}\n',
    });
    const { files } = await loadResources({ ...defaultSettings(), confdir: dir });
    const outcomes = await renderFromSnapshots(
      files.map((f) => f.resource!),
      { snapshots: new Map([['default', new KeySnapshot({ '/up/a': '10.0.0.1', '/up/b': '10.0.0.2' })]]), failures: new Map() },
      { noop: false, diff: false, syncOnly: false, keepStageFile: false, logger: silentLogger, engine: new TemplateEngine() },
    );
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    const expected = 'upstream {\n  server 10.0.0.1;\n  server 10.0.0.2;\n}\n';
    expect(readFileSync(join(out, 'go.conf'), 'utf8')).toBe(expected);
    expect(readFileSync(join(out, 'hb.conf'), 'utf8')).toBe(expected);
  });
});
