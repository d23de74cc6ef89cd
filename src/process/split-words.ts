/**
 * Shell-like word splitting without expansion, for commands confd runs without a shell
 * (the exec backend's `command`, exec mode's `--exec`): single and double quotes and
 * backslash escapes work as in sh; nothing is expanded. Characters that only mean
 * something to a shell (pipes, redirections, `$`, …) are refused rather than passed on
 * as literal arguments nobody meant.
 */
const SHELL_ONLY = new Set(['|', '&', ';', '<', '>', '(', ')', '$', '`']);

/** Thrown for text that cannot be split; `message` says why (`missing closing '`). */
export class WordSplitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WordSplitError';
  }
}

/** @param shellHint what to do about a shell-only character (`set shell = true, or quote it`). */
export function splitWords(text: string, shellHint = 'quote it'): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  const fail = (why: string): never => {
    throw new WordSplitError(why);
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
      fail(`"${ch}" needs a shell: ${shellHint}`);
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
