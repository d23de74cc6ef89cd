/**
 * A function's error never prints the value it was given: values come from the key
 * store and are often secrets, and errors end up in logs. The error names the template
 * position (and in Go the call, `at <json (getv "/db/creds")>`), which finds the key.
 * One implementation of each function serves both engines, so both are checked.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatError } from '../../src/errors.js';
import { TemplateEngine } from '../../src/template/engine.js';
import type { TemplateEngineName } from '../../src/template/language.js';
import { KeyStore } from '../../src/template/store.js';

const SECRET = 'hunter2-Top$ecret';
const CASES: Array<[string, string, string]> = [
  ['json', '{{json (getv "/s")}}', '{{json (getv "/s")}}'],
  ['json, truncated', '{{json (getv "/s2")}}', '{{json (getv "/s2")}}'],
  ['jsonArray', '{{jsonArray (getv "/s")}}', '{{jsonArray (getv "/s")}}'],
  ['atoi', '{{atoi (getv "/s")}}', '{{atoi (getv "/s")}}'],
  ['parseBool', '{{parseBool (getv "/s")}}', '{{parseBool (getv "/s")}}'],
  ['base64Decode', '{{base64Decode (getv "/s")}}', '{{base64Decode (getv "/s")}}'],
  ['range over a string', '', '{{range getv "/s"}}{{end}}'],
];

async function errorOf(engine: TemplateEngineName, text: string): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'confd-secret-')), 't.tmpl');
  writeFileSync(path, text);
  const store = new KeyStore({ '/s': SECRET, '/s2': `{"password":"${SECRET}"` });
  return new TemplateEngine().render(path, store, engine).then(
    () => 'rendered',
    (e: unknown) => formatError(e),
  );
}

describe.each(['handlebars', 'go'] as const)('%s: errors do not print values', (engine) => {
  for (const [name, handlebars, go] of CASES) {
    const text = engine === 'go' ? go : handlebars;
    if (!text) continue;
    it(name, async () => {
      const shown = await errorOf(engine, text);
      expect(shown).toMatch(/error calling|range can't iterate/);
      expect(shown).not.toContain('hunter2');
      expect(shown).not.toContain('Top$ecret');
    });
  }
});

it('the Go error names the key through the call it shows', async () => {
  expect(await errorOf('go', 'x\n{{atoi (getv "/s")}}')).toMatch(
    /^template: t\.tmpl:2:2: executing "t\.tmpl" at <atoi \(getv "\/s"\)>: error calling atoi: strconv\.Atoi: parsing \(value not shown\): invalid syntax \(template \S+t\.tmpl\)$/,
  );
});
