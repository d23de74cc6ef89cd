/** Parses one data file by its extension: `.json`, `.toml`, anything else as YAML. */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { ConfdError } from '../../../src/errors.js';

export async function parseDataFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfdError(`cannot read data file: ${(error as Error).message}`, { file: path, backend: 'file' });
  }
  return parseDataText(path, text);
}

export function parseDataText(path: string, text: string): unknown {
  const ext = extname(path).toLowerCase();
  if (ext === '.toml') {
    try {
      return parseToml(text);
    } catch (error) {
      const line = error instanceof TomlError ? error.line : undefined;
      throw new ConfdError(`invalid TOML: ${firstLine((error as Error).message)}`, { file: path, line, backend: 'file' });
    }
  }
  if (ext === '.json') {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ConfdError(`invalid JSON: ${(error as Error).message}`, { file: path, backend: 'file' });
    }
  }
  // YAML 1.1, as confd's yaml.v2: `yes`/`on` are booleans. JSON is valid YAML too.
  const document = parseDocument(text, { version: '1.1', uniqueKeys: false });
  if (document.errors.length > 0) {
    const first = document.errors[0];
    throw new ConfdError(`invalid YAML: ${firstLine(first.message)}`, {
      file: path,
      line: first.linePos?.[0].line,
      column: first.linePos?.[0].col,
      backend: 'file',
    });
  }
  return yamlNodeToJS(document.contents, document);
}

/**
 * Values follow YAML 1.1 as in confd (`yes` → true), but map keys keep their source
 * text: `on:` stays the key "on" instead of becoming `true` (yaml.v2 panicked there).
 */
function yamlNodeToJS(node: unknown, document: Document): unknown {
  if (isAlias(node)) return yamlNodeToJS(node.resolve(document), document);
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.source ?? pair.key.value) : String(pair.key);
      out[key] = yamlNodeToJS(pair.value, document);
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => yamlNodeToJS(item, document));
  if (isScalar(node)) return node.value;
  return node ?? null;
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}
