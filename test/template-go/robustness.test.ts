/** Edge cases of the engine around the functions: DNS answers that arrive late, hostile JSON keys. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TemplateEngine } from '../../src/template/engine.js';
import type { TemplateEngineName } from '../../src/template/language.js';
import { KeyStore } from '../../src/template/store.js';

async function render(engine: TemplateEngineName, text: string, data: Record<string, string> = {}): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'confd-robust-')), 't.tmpl');
  writeFileSync(path, text);
  return new TemplateEngine({ env: {} }).render(path, new KeyStore(data), engine);
}

describe('a template that needs a DNS answer to succeed', () => {
  it('Go: index of a lookup is rendered once the answer is in', async () => {
    expect(await render('go', '{{index (lookupIPV4 "localhost") 0}}')).toBe('127.0.0.1');
  });
  it('Handlebars: the same', async () => {
    expect(await render('handlebars', '{{index (lookupIPV4 "localhost") 0}}')).toBe('127.0.0.1');
  });
  it('an unresolvable name still fails, after the lookups', async () => {
    await expect(render('go', '{{index (lookupIPV4 "no-such-host.invalid") 0}}')).rejects.toThrow('error calling index: reflect: slice index out of range');
  });
});

describe('JSON keys that are JavaScript property names', () => {
  const data = { '/j': '{"__proto__": {"x": 1}, "constructor": "c", "toString": "t"}' };
  it('Go: they are ordinary map keys', async () => {
    expect(await render('go', '{{$m := json (getv "/j")}}{{len $m}} {{$m.constructor}} {{index $m "__proto__"}} {{$m}}', data)).toBe(
      '3 c map[x:1] map[__proto__:map[x:1] constructor:c toString:t]',
    );
  });
  it('map builds them the same way', async () => {
    expect(await render('go', '{{map "__proto__" 1 "a" 2}}')).toBe('map[__proto__:1 a:2]');
  });
});
