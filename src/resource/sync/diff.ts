/** The unified diff `--noop --diff` prints; coloured only when writing to a terminal. */
import { createTwoFilesPatch } from 'diff';

const RESET = '\u001b[0m';
const COLOURS: Array<[string, string]> = [['+++', '\u001b[1m'], ['---', '\u001b[1m'], ['@@', '\u001b[36m'], ['+', '\u001b[32m'], ['-', '\u001b[31m']];

export function unifiedDiff(dest: string, before: string, after: string, color: boolean): string {
  const patch = createTwoFilesPatch(dest, dest, before, after, 'current', 'rendered');
  if (!color) return patch;
  return patch
    .split('\n')
    .map((line) => {
      const colour = COLOURS.find(([prefix]) => line.startsWith(prefix));
      return colour ? `${colour[1]}${line}${RESET}` : line;
    })
    .join('\n');
}
