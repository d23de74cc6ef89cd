/**
 * `NAME=value` lines (the output of `env`, or a .env file) as keys, mapped exactly as
 * the env backend maps variables: `DATABASE_HOST` → `/database/host`, and a doubled
 * underscore is a literal one (`KAFKA_BROKER__ID` → `/kafka/broker_id`).
 *
 * Blank lines and `#` comments are skipped; `export NAME=value` is accepted. A value in
 * single quotes is literal; in double quotes `\n`, `\t`, `\"`, `\\` and `\$` are
 * unescaped; an unquoted value is taken as is, trimmed. Nothing is expanded.
 */
import type { KeyValues } from '../../../src/database/database.js';
import { envNameToKey } from '../env/index.js';
import { DocumentSyntaxError } from './syntax-error.js';

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', $: '$' };

/** True when every line that is not blank or a comment is an assignment. */
export function looksLikeEnvText(text: string): boolean {
  const lines = meaningfulLines(text);
  return lines.length > 0 && lines.every(({ text: line }) => LINE.test(line));
}

function meaningfulLines(text: string): Array<{ text: string; number: number }> {
  return text
    .split('\n')
    .map((line, index) => ({ text: line.replace(/\r$/, ''), number: index + 1 }))
    .filter(({ text: line }) => line.trim() !== '' && !line.trimStart().startsWith('#'));
}

export function parseEnvText(text: string): KeyValues {
  const values: KeyValues = {};
  for (const { text: line, number } of meaningfulLines(text)) {
    const match = LINE.exec(line);
    if (!match) throw new DocumentSyntaxError('env', number, line, 'expected NAME=value');
    values[envNameToKey(match[1])] = unquote(match[2], number, line);
  }
  return values;
}

function unquote(raw: string, number: number, line: string): string {
  const value = raw.trim();
  const quote = value[0];
  if (quote !== '"' && quote !== "'") return value;
  let out = '';
  for (let i = 1; i < value.length; i++) {
    const ch = value[i];
    if (ch === quote) {
      const rest = value.slice(i + 1).trim();
      if (rest !== '' && !rest.startsWith('#')) throw new DocumentSyntaxError('env', number, line, `unexpected text after the closing ${quote}`);
      return out;
    }
    if (quote === '"' && ch === '\\' && i + 1 < value.length) {
      const next = value[++i];
      out += ESCAPES[next] ?? `\\${next}`;
    } else out += ch;
  }
  throw new DocumentSyntaxError('env', number, line, `missing closing ${quote}`);
}
