/**
 * Parses one data file by its extension: `.json`, `.toml`, anything else as YAML.
 *
 * Data files may come from people who should not be able to stall confd, so every
 * parse is bounded (docs/security.md):
 * - size: a file larger than MAX_DATA_FILE_BYTES is refused before it is read, and
 *   only regular files are opened (a FIFO would block for good);
 * - YAML aliases: at most MAX_ALIAS_EXPANSION nodes may be produced by expanding
 *   aliases (a 500-byte "billion laughs" file would otherwise expand without end);
 * - nesting: at most MAX_DEPTH levels, in every format;
 * - time: a large file is parsed in a worker thread (off-thread.ts), so SIGTERM is
 *   handled at once however long the parse takes.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { ConfdError } from '../../../src/errors.js';
import { parseInWorker, shouldParseOffThread } from './off-thread.js';

export const MAX_DATA_FILE_BYTES = 64 * 1024 * 1024;
export const MAX_ALIAS_EXPANSION = 100_000;
export const MAX_DEPTH = 256;

export async function parseDataFile(path: string): Promise<unknown> {
  const text = await readDataFile(path);
  return shouldParseOffThread(text) ? parseInWorker(path, text) : parseDataText(path, text);
}

async function readDataFile(path: string): Promise<string> {
  const fail = (why: string) => new ConfdError(`cannot read data file: ${why}`, { file: path, backend: 'file' });
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw fail((error as Error).message);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw fail('not a regular file');
    if (info.size > MAX_DATA_FILE_BYTES) throw fail(`${info.size} bytes is more than the limit of ${MAX_DATA_FILE_BYTES} bytes`);
    return await handle.readFile('utf8');
  } catch (error) {
    throw error instanceof ConfdError ? error : fail((error as Error).message);
  } finally {
    await handle.close();
  }
}

export function parseDataText(path: string, text: string): unknown {
  const ext = extname(path).toLowerCase();
  if (ext === '.toml') {
    try {
      return checkDepth(parseToml(text, { maxDepth: MAX_DEPTH }), path);
    } catch (error) {
      if (error instanceof ConfdError) throw error;
      const line = error instanceof TomlError ? error.line : undefined;
      throw new ConfdError(`invalid TOML: ${firstLine((error as Error).message)}`, { file: path, line, backend: 'file' });
    }
  }
  if (ext === '.json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new ConfdError(`invalid JSON: ${(error as Error).message}`, { file: path, backend: 'file' });
    }
    return checkDepth(data, path);
  }
  return parseYaml(path, text);
}

function parseYaml(path: string, text: string): unknown {
  // YAML 1.1, as confd's yaml.v2: `yes`/`on` are booleans. JSON is valid YAML too.
  let document: Document;
  const lines = new LineCounter();
  try {
    document = parseDocument(text, { version: '1.1', uniqueKeys: false, lineCounter: lines });
  } catch (error) {
    throw new ConfdError(`invalid YAML: ${describeYamlError((error as Error).message)}`, { file: path, backend: 'file' });
  }
  if (document.errors.length > 0) {
    const first = document.errors[0];
    throw new ConfdError(`invalid YAML: ${describeYamlError(first.message)}`, {
      file: path,
      line: first.linePos?.[0].line,
      column: first.linePos?.[0].col,
      backend: 'file',
    });
  }
  return new YamlConverter(document, lines, path).convert(document.contents, 0, false);
}

/**
 * YAML nodes to plain values. Values follow YAML 1.1 as in confd (`yes` → true), but map
 * keys keep their source text: `on:` stays the key "on" instead of becoming `true`
 * (yaml.v2 panicked there). Merge keys (`<<: *base`, `<<: [*a, *b]`) copy the keys of
 * the merged maps that the map does not set itself; with a list, earlier maps win.
 */
class YamlConverter {
  private expanded = 0;

  constructor(
    private readonly document: Document,
    private readonly lines: LineCounter,
    private readonly path: string,
  ) {}

  private fail(message: string, node: unknown): never {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    const line = range ? this.lines.linePos(range[0]).line : undefined;
    throw new ConfdError(message, { file: this.path, line, backend: 'file' });
  }

  convert(node: unknown, depth: number, viaAlias: boolean): unknown {
    if (depth > MAX_DEPTH) this.fail(`data nested deeper than ${MAX_DEPTH} levels (or an alias that contains itself)`, node);
    if (viaAlias && ++this.expanded > MAX_ALIAS_EXPANSION) {
      this.fail(`YAML aliases expand to more than ${MAX_ALIAS_EXPANSION} values; refusing a file that would expand without bound`, node);
    }
    if (isAlias(node)) return this.convert(node.resolve(this.document), depth + 1, true);
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const merged: Array<[string, unknown]> = [];
      for (const pair of node.items) {
        if (isMergeKey(pair.key)) {
          merged.push(...this.mergeSources(pair.value, depth, viaAlias));
          continue;
        }
        const key = isScalar(pair.key) ? String(pair.key.source ?? pair.key.value) : String(pair.key);
        out[key] = this.convert(pair.value, depth + 1, viaAlias);
      }
      for (const [key, value] of merged) if (!Object.hasOwn(out, key)) out[key] = value;
      return out;
    }
    if (isSeq(node)) return node.items.map((item) => this.convert(item, depth + 1, viaAlias));
    if (isScalar(node)) return node.value;
    return node ?? null;
  }

  /** The entries a `<<` value contributes, earliest source first (so it wins). */
  private mergeSources(value: unknown, depth: number, viaAlias: boolean): Array<[string, unknown]> {
    const sources = isSeq(value) ? value.items : [value];
    const entries: Array<[string, unknown]> = [];
    const seen = new Set<string>();
    for (const source of sources) {
      const target = isAlias(source) ? source.resolve(this.document) : source;
      if (!isMap(target)) this.fail('a merge key (<<) needs a map, an alias to a map, or a list of those', source);
      const map = this.convert(source, depth + 1, viaAlias) as Record<string, unknown>;
      for (const [key, item] of Object.entries(map)) {
        if (seen.has(key)) continue;
        seen.add(key);
        entries.push([key, item]);
      }
    }
    return entries;
  }
}

/** A plain `<<` key (the yaml library marks it with a symbol); a quoted "<<" is an ordinary key. */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol';
}

/** JSON and TOML come out of their parsers as plain values: bound their nesting here. */
function checkDepth(data: unknown, path: string): unknown {
  const stack: Array<[unknown, number]> = [[data, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object' || value instanceof Date) continue;
    if (depth >= MAX_DEPTH) throw new ConfdError(`data nested deeper than ${MAX_DEPTH} levels`, { file: path, backend: 'file' });
    for (const child of Object.values(value as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return data;
}

/** The YAML parser recurses: absurd nesting surfaces as a stack overflow; say what it means. */
function describeYamlError(message: string): string {
  return /Maximum call stack size exceeded/.test(message) ? `data nested too deeply (more than ${MAX_DEPTH} levels are not supported)` : firstLine(message);
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}
