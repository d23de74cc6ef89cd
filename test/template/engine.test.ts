/** The engine: no HTML escaping, no prototype access, compile once, errors with file and line. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfdError, formatError } from '../../src/errors.js';
import { TemplateEngine } from '../../src/template/engine.js';
import { KeyStore } from '../../src/template/store.js';
import { render } from './render.js';

function templateFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'confd-eng-')), 'x.tmpl');
  writeFileSync(path, text);
  return path;
}

describe('engine', () => {
  it('does not HTML-escape', async () => {
    expect(await render('{{getv "/v"}}', { '/v': '<a href="x">&</a>' })).toBe('<a href="x">&</a>');
  });
  it('keeps prototype access disabled', async () => {
    expect(await render('[{{constructor}}][{{#with (get "/a")}}{{constructor}}{{/with}}][{{#if constructor}}x{{/if}}]', { '/a': '1' })).toBe('[][][]');
  });
  it('writes exactly the template output (no added newline)', async () => {
    expect(await render('foo = {{getv "/foo"}}', { '/foo': 'bar' })).toBe('foo = bar');
  });
  it('compiles each template once and caches it until clearCache', async () => {
    const path = templateFile('one');
    const engine = new TemplateEngine();
    expect(await engine.render(path, new KeyStore())).toBe('one');
    writeFileSync(path, 'two');
    expect(await engine.render(path, new KeyStore())).toBe('one');
    engine.clearCache();
    expect(await engine.render(path, new KeyStore())).toBe('two');
  });
  it('a syntax error names the file and line at compile time', () => {
    const path = templateFile('line 1\nline 2\n{{#each (gets "/x/*")}}\n{{/if}}\n');
    const error = (() => {
      try {
        new TemplateEngine().compile(path);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfdError);
    expect(formatError(error)).toMatch(new RegExp(`^${path}:[34]`));
  });
  it('an unclosed mustache names the line', () => {
    const path = templateFile('ok\n{{getv "/a"\n');
    expect(() => new TemplateEngine().compile(path)).toThrow(/Parse error on line 2/);
  });
  it('a missing key names the key, the file and the line', async () => {
    const path = templateFile('a\nb\nhost={{getv "/database/host"}}\n');
    const error = await new TemplateEngine().render(path, new KeyStore()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfdError);
    expect((error as ConfdError).context).toMatchObject({ template: path, line: 3, key: '/database/host' });
    expect(formatError(error)).toBe(`${path}:3:6: error calling getv: key does not exist: /database/host`);
  });
  it('an unknown helper is an error with its line', async () => {
    const path = templateFile('\n{{nosuch "x"}}');
    expect(formatError(await new TemplateEngine().render(path, new KeyStore()).catch((e: unknown) => e))).toBe(`${path}:2:1: function "nosuch" not defined`);
  });
  it('a missing template is an error naming it', async () => {
    expect(formatError(await new TemplateEngine().render('/nonexistent/x.tmpl', new KeyStore()).catch((e: unknown) => e))).toContain('missing template /nonexistent/x.tmpl');
  });
});
