/**
 * The examples in docs/templates-go.md and docs/migrating-from-confd.md run.
 *
 * templates-go.md: a ```go-template block is rendered by the Go engine against the keys
 * of the page's ```yaml keys block, and must give the ```text (or ```error) block after it.
 * migrating-from-confd.md: blocks tagged `file=<path>` form a confdir; the ```sh block is
 * run in it, and every `file=out/…` block is the expected content of that output file.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { TemplateEngine } from '../../src/template/engine.js';
import { KeyStore } from '../../src/template/store.js';
import { REPO_ROOT, runConfd } from '../helpers/run-confd.js';

interface Block {
  info: string;
  text: string;
}

function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const fence = /^```([^\n]*)\n([\s\S]*?)^```$/gm;
  for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) blocks.push({ info: m[1].trim(), text: m[2] });
  return blocks;
}

function readDoc(name: string): Block[] {
  return codeBlocks(readFileSync(join(REPO_ROOT, 'docs', name), 'utf8'));
}

describe('docs/templates-go.md examples', () => {
  const blocks = readDoc('templates-go.md');
  const keys = Object.assign({}, ...blocks.filter((b) => b.info === 'yaml keys').map((b) => parseYaml(b.text) as Record<string, string>));
  const examples = blocks.flatMap((block, i) => (block.info === 'go-template' ? [{ template: block.text, expected: blocks[i + 1] }] : []));

  it('has examples, each followed by its output', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const { expected } of examples) expect(['text', 'error']).toContain(expected?.info);
  });

  examples.forEach(({ template, expected }, i) => {
    it(`example ${i + 1}: ${template.split('\n')[0]}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'confd-docs-go-'));
      writeFileSync(join(dir, 't.tmpl'), template);
      const result = new TemplateEngine({ env: {} }).render(join(dir, 't.tmpl'), new KeyStore(keys), 'go');
      if (expected.info === 'error') await expect(result).rejects.toThrow(expected.text.trim());
      else expect(await result).toBe(expected.text);
    });
  });
});

describe('docs/migrating-from-confd.md example', () => {
  const blocks = readDoc('migrating-from-confd.md');
  const files = blocks.flatMap((b) => {
    const m = /file=(\S+)/.exec(b.info);
    return m ? [{ path: m[1], text: b.text }] : [];
  });
  const command = blocks.find((b) => b.info === 'sh example');

  it('renders what the page says, with the command it shows', async () => {
    expect(command, 'a ```sh example block').toBeDefined();
    expect(files.filter((f) => f.path.startsWith('out/')).length).toBeGreaterThan(0);
    const cwd = mkdtempSync(join(tmpdir(), 'confd-docs-migrate-'));
    for (const f of files.filter((f) => !f.path.startsWith('out/'))) {
      mkdirSync(dirname(join(cwd, f.path)), { recursive: true });
      writeFileSync(join(cwd, f.path), f.text);
    }
    mkdirSync(join(cwd, 'out'), { recursive: true });
    // The block is one `confd …` command line, with optional VAR=value prefixes.
    const words = command!.text.trim().split(/\s+/);
    const env: Record<string, string> = {};
    while (/^[A-Z][A-Z0-9_]*=/.test(words[0])) {
      const [name, ...rest] = words.shift()!.split('=');
      env[name] = rest.join('=');
    }
    expect(words.shift()).toBe('confd');
    const run = await runConfd(words, { cwd, env, cleanEnv: true });
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    for (const f of files.filter((f) => f.path.startsWith('out/'))) expect(readFileSync(join(cwd, f.path), 'utf8'), f.path).toBe(f.text);
  });
});
