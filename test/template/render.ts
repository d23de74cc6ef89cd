import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TemplateEngine } from '../../src/template/engine.js';
import { KeyStore } from '../../src/template/store.js';

const dir = mkdtempSync(join(tmpdir(), 'confd-tpl-'));
let counter = 0;

/** Renders template text against key/value data through the real engine (via a real file). */
export async function render(text: string, data: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const path = join(dir, `t${counter++}.tmpl`);
  writeFileSync(path, text);
  return new TemplateEngine({ env }).render(path, new KeyStore(data));
}

/** The error message a template fails with. */
export async function renderError(text: string, data: Record<string, string> = {}): Promise<string> {
  try {
    await render(text, data);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('template rendered without the expected error');
}
