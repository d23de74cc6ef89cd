/**
 * One document of text (a command's stdout, an HTTP body) → confd keys, flattened
 * exactly as the file backend flattens a data file: YAML 1.1 values with map keys kept
 * as written, JSON, TOML, or `NAME=value` lines. Used by the exec and http backends.
 */
import type { KeyValues } from '../../../src/database/database.js';
import { ConfdError } from '../../../src/errors.js';
import { flatten } from '../file/flatten.js';
import { parseDataText } from '../file/parse.js';
import { looksLikeEnvText, parseEnvText } from './env-text.js';
import { jsonErrorOffset } from './json-error.js';
import { DocumentSyntaxError } from './syntax-error.js';

export { DocumentSyntaxError } from './syntax-error.js';

export const DOCUMENT_FORMATS = ['json', 'yaml', 'toml', 'env'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];
/** `auto` picks by the text: `{`/`[` → JSON, only `NAME=value` lines → env, else YAML. */
export type FormatSetting = DocumentFormat | 'auto';

/** Reads a `format` setting; empty means auto. */
export function parseFormatSetting(value: string | undefined, backend: string): FormatSetting {
  const format = (value ?? '').trim().toLowerCase();
  if (format === '' || format === 'auto') return 'auto';
  if (format === 'yml') return 'yaml';
  if ((DOCUMENT_FORMATS as readonly string[]).includes(format)) return format as DocumentFormat;
  throw new ConfdError(`invalid format "${value}": use json, yaml, toml, env or auto`, { backend, setting: 'format' });
}

export function detectFormat(text: string): DocumentFormat {
  const start = text.trimStart()[0];
  if (start === '{' || start === '[') return 'json';
  return looksLikeEnvText(text) ? 'env' : 'yaml';
}

/** Parses and flattens; throws {@link DocumentSyntaxError} naming the first bad line. */
export function parseDocumentText(text: string, setting: FormatSetting): KeyValues {
  const format = setting === 'auto' ? detectFormat(text) : setting;
  switch (format) {
    case 'env':
      return parseEnvText(text);
    case 'json':
      return flatten(parseJson(text));
    case 'yaml':
    case 'toml':
      return flatten(parseWithFileBackend(text, format));
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const offset = jsonErrorOffset(text);
    const line = text.slice(0, offset).split('\n').length;
    // V8 echoes the whole input in some messages; the line is shown separately.
    const reason = (error as Error).message.replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '');
    throw new DocumentSyntaxError('json', line, lineAt(text, line), reason);
  }
}

/** The file backend's parser picks by extension; its errors carry the line. */
function parseWithFileBackend(text: string, format: 'yaml' | 'toml'): unknown {
  try {
    return parseDataText(`document.${format}`, text);
  } catch (error) {
    if (!(error instanceof ConfdError)) throw error;
    const line = error.context.line;
    const reason = error.message.replace(/^invalid (YAML|TOML): /, '');
    throw new DocumentSyntaxError(format, line, line !== undefined ? lineAt(text, line) : undefined, reason);
  }
}

function lineAt(text: string, line: number): string | undefined {
  return text.split('\n')[line - 1]?.replace(/\r$/, '');
}
