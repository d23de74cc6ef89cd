/**
 * The unified diff `--noop --diff` prints. It shows file content, secrets included;
 * `--diff-redact` masks every content line's value, keeping only a leading
 * `key =` / `key:` so you still see which settings changed. Coloured only when writing
 * to a terminal.
 */
import { createTwoFilesPatch } from 'diff';

const RESET = '\u001b[0m';
const COLOURS: Array<[string, string]> = [['+++', '\u001b[1m'], ['---', '\u001b[1m'], ['@@', '\u001b[36m'], ['+', '\u001b[32m'], ['-', '\u001b[31m']];
export const REDACTED = '***';

export interface DiffStyle {
  color: boolean;
  /** Mask values in content lines (`--diff-redact`). */
  redact?: boolean;
}

/** `  password = hunter2` → `  password = ***`; a line with no `key =`/`key:` → `***`. */
export function maskLine(text: string): string {
  if (text.trim() === '') return text;
  const key = /^(\s*[\w.\-[\]"'$@/]+\s*(?:=|:(?!\/\/))\s*)/.exec(text);
  return key ? `${key[1]}${REDACTED}` : `${/^\s*/.exec(text)![0]}${REDACTED}`;
}

/** Masks content lines: those after the first `@@` hunk header that start with +, - or space. */
function redactPatch(lines: string[]): string[] {
  let inHunks = false;
  return lines.map((line) => {
    if (line.startsWith('@@')) inHunks = true;
    else if (inHunks && /^[+\- ]/.test(line)) return line[0] + maskLine(line.slice(1));
    return line;
  });
}

export function unifiedDiff(dest: string, before: string, after: string, style: DiffStyle): string {
  let lines = createTwoFilesPatch(dest, dest, before, after, 'current', 'rendered').split('\n');
  if (style.redact) lines = redactPatch(lines);
  if (!style.color) return lines.join('\n');
  return lines
    .map((line) => {
      const colour = COLOURS.find(([prefix]) => line.startsWith(prefix));
      return colour ? `${colour[1]}${line}${RESET}` : line;
    })
    .join('\n');
}
