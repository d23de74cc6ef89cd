/**
 * Turns the exec backend's `command` and `shell` settings into the argv to run.
 *
 * - `command = ["prog", "arg with spaces"]` (an array; Configure receives it as a JSON
 *   array) is the argv, used as is.
 * - `command = "prog --flag 'a b'"` is split into words as a shell would (single and
 *   double quotes, backslash escapes) but nothing is expanded and no shell runs. Pipes,
 *   redirections, `$` and the like are refused with a hint, rather than passed on as
 *   literal arguments nobody meant.
 * - `shell = true` runs the string with `/bin/sh -c`, for users who want pipes.
 */
import { ConfdError } from '../../../src/errors.js';

export interface ExecCommand {
  argv: string[];
  /** How the command is named in errors: as the user wrote it. */
  label: string;
}

const SHELL_ONLY = new Set(['|', '&', ';', '<', '>', '(', ')', '$', '`']);

export function parseCommand(raw: string | undefined, shell: boolean): ExecCommand {
  const text = (raw ?? '').trim();
  if (text === '') throw new ConfdError('the exec backend needs a command (command = "…" or ["prog", "arg"])', { backend: 'exec', setting: 'command' });
  const array = parseArgvArray(text);
  if (array) {
    if (shell) throw new ConfdError('shell = true needs command as one string, not an array', { backend: 'exec', setting: 'shell' });
    if (array.length === 0 || array[0] === '') throw new ConfdError('command: the array is empty', { backend: 'exec', setting: 'command' });
    return { argv: array, label: array.map(quoteWord).join(' ') };
  }
  // A multi-line script is named by its first line in messages.
  const label = text.includes('\n') ? `${text.split('\n')[0]} …` : text;
  if (shell) return { argv: ['/bin/sh', '-c', text], label };
  return { argv: splitWords(text), label };
}

function parseArgvArray(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? (parsed as string[]) : undefined;
  } catch {
    return undefined; // `[ -f x ]` and other strings that only look like arrays
  }
}

/** Shell-like word splitting without expansion. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  const fail = (why: string): never => {
    throw new ConfdError(`command "${text}": ${why}`, { backend: 'exec', setting: 'command' });
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) fail("missing closing '");
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (ch === '"') {
      inWord = true;
      for (i++; ; i++) {
        if (i >= text.length) fail('missing closing "');
        if (text[i] === '"') break;
        if (text[i] === '\\' && '"\\$`'.includes(text[i + 1] ?? '')) i++;
        word += text[i];
      }
    } else if (ch === '\\') {
      if (i + 1 >= text.length) fail('ends with a backslash');
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (SHELL_ONLY.has(ch)) {
      fail(`"${ch}" needs a shell: set shell = true, or quote it`);
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function quoteWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  // Control characters (a newline in a printf format) stay visible and on one line.
  if (/[\x00-\x1f]/.test(word)) return JSON.stringify(word);
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
