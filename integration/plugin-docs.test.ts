/** The examples in docs/plugins.md run: the 10-line TypeScript plugin renders a template. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runConfd } from '../test/helpers/run-confd.js';

describe('docs/plugins.md examples', () => {
  it('the doc shows the real 10-line plugin file', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'plugins.md'), 'utf8');
    const source = readFileSync(join(REPO_ROOT, 'integration', 'plugins', 'ts', 'static.ts'), 'utf8');
    const body = source.split('\n').filter((l) => !l.startsWith('import ') && !l.startsWith('//')).join('\n').trim();
    expect(doc).toContain(body);
  });

  it('the 10-line plugin renders through confd render --plugin-dir', async () => {
    const root = mkdtempSync(join(tmpdir(), 'confd-docex-'));
    mkdirSync(join(root, 'conf.d'));
    mkdirSync(join(root, 'templates'));
    writeFileSync(join(root, 'conf.d', 'greeting.toml'), `[template]\nsrc = "greeting.tmpl"\ndest = "${root}/greeting.txt"\nkeys = ["/greeting"]\n`);
    writeFileSync(join(root, 'templates', 'greeting.tmpl'), '{{getv "/greeting/text"}}, {{getv "/greeting/name"}}!\n');
    const run = await runConfd(['render', '--confdir', root, '--backend', 'static', '--plugin-dir', join(REPO_ROOT, 'integration', 'plugins', 'ts')]);
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expect(readFileSync(join(root, 'greeting.txt'), 'utf8')).toBe('hello, world!\n');
  });
});
