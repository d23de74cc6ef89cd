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
import { splitWords as splitProgramWords, WordSplitError } from '../../../src/process/split-words.js';

export interface ExecCommand {
  argv: string[];
  /** How the command is named in errors: as the user wrote it. */
  label: string;
}

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

/** Words as a shell would split them, nothing expanded; errors name the command and the setting. */
export function splitWords(text: string): string[] {
  try {
    return splitProgramWords(text, 'set shell = true, or quote it');
  } catch (error) {
    if (!(error instanceof WordSplitError)) throw error;
    throw new ConfdError(`command "${text}": ${error.message}`, { backend: 'exec', setting: 'command' });
  }
}

function quoteWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  // Control characters (a newline in a printf format) stay visible and on one line.
  if (/[\x00-\x1f]/.test(word)) return JSON.stringify(word);
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
