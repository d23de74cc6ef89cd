/**
 * Handlebars fails loudly where it used to render empty text: a misspelt field, Go
 * template syntax ({{end}}, {{.}}, {{range …}}, {{$x := …}}), an unknown function. Every
 * error names the file, line and column and says what to do.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatError } from '../../src/errors.js';
import { TemplateEngine } from '../../src/template/engine.js';
import { KeyStore } from '../../src/template/store.js';

const GO_HINT = 'set template_engine = "go" in confd.toml (or engine = "go" in the resource)';

async function failure(text: string, data: Record<string, string> = {}): Promise<{ path: string; shown: string }> {
  const path = join(mkdtempSync(join(tmpdir(), 'confd-hb-strict-')), 'app.tmpl');
  writeFileSync(path, text);
  const error = await new TemplateEngine().render(path, new KeyStore(data)).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!error) throw new Error(`rendered without an error: ${text}`);
  return { path, shown: formatError(error) };
}

describe('Handlebars typos', () => {
  it('a misspelt field inside #each fails with file:line:col and "did you mean Value?"', async () => {
    const { path, shown } = await failure('upstream {\n{{#each (gets "/up/*")}}\n  server {{value}};\n{{/each}}\n}\n', { '/up/a': '10.0.0.1' });
    expect(shown).toBe(`${path}:3:12: "value" is not defined here; did you mean Value?`);
  });
  it('key for Key, too', async () => {
    expect((await failure('{{#each (gets "/up/*")}}{{key}}{{/each}}', { '/up/a': '1' })).shown).toContain('did you mean Key?');
  });
  it('a field missing from a JSON object fails and says how to test for an optional one', async () => {
    const { path, shown } = await failure('{{#with (json (getv "/j"))}}{{host}}:{{prot}}{{/with}}', { '/j': '{"host":"db","port":1}' });
    expect(shown).toBe(`${path}:1:40: "prot" is not defined here; a field that may be missing is tested with {{#if prot}}…{{/if}}`);
  });
  it('never prints the object it looked in (values may be secrets)', async () => {
    const { shown } = await failure('{{#each (gets "/s/*")}}{{vale}}{{/each}}', { '/s/pw': 'hunter2' });
    expect(shown).not.toContain('hunter2');
  });
  it('an optional field can still be tested with #if', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'confd-hb-strict-')), 'ok.tmpl');
    writeFileSync(path, '{{#with (json (getv "/j"))}}{{#if tls}}tls{{else}}plain{{/if}}{{/with}}');
    expect(await new TemplateEngine().render(path, new KeyStore({ '/j': '{"host":"db"}' }))).toBe('plain');
  });
  it('an unknown function names itself and its position', async () => {
    const { path, shown } = await failure('ok\n{{nosuch "x"}}');
    expect(shown).toBe(`${path}:2:1: function "nosuch" not defined`);
  });
});

describe('Go syntax in a Handlebars template', () => {
  it('a stray {{end}} fails with its line and suggests the Go engine', async () => {
    const { path, shown } = await failure('{{#if (exists "/a")}}x{{/if}}\n{{end}}\n', { '/a': '1' });
    expect(shown).toBe(`${path}:2:1: {{end}} is Go template syntax: Handlebars closes a block with {{/if}}, {{/each}} or {{/with}}; to use Go templates, ${GO_HINT}`);
  });
  it('{{.}} fails and says {{this}}', async () => {
    const { path, shown } = await failure('a\nb {{.}}');
    expect(shown).toBe(`${path}:2:3: {{.}} is Go template syntax; in Handlebars the current value is {{this}}; to use Go templates, ${GO_HINT}`);
  });
  it('{{range …}}, {{if …}}, {{$x := …}} and {{- …}} suggest the Go engine', async () => {
    for (const text of ['{{range gets "/x/*"}}', '{{if exists "/a"}}y', '{{$x := getv "/a"}}', '{{- getv "/a"}}']) {
      const { shown } = await failure(text, { '/a': '1' });
      expect(shown, text).toContain(`to use Go templates, ${GO_HINT}`);
      expect(shown, text).toMatch(/app\.tmpl:1(:1)?: /);
    }
  });
  it('a Handlebars parse error on Go syntax suggests the Go engine', async () => {
    const { path, shown } = await failure('upstream app {\n{{- range gets "/upstream/*" }}\n  server {{ .Value }};\n{{- end }}\n}\n');
    expect(shown).toMatch(new RegExp(`^${path}:3: Parse error on line 3: .*got 'SEP'; this looks like a Go template: to use Go templates, ${GO_HINT.replace(/[()]/g, '\\$&')}$`));
  });
  it('a Handlebars parse error without Go syntax has no such hint', async () => {
    const { shown } = await failure('{{#each (gets "/x/*")}}\n{{/if}}\n');
    expect(shown).not.toContain('template_engine');
  });
});
