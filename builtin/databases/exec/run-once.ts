/** Poll mode: run the command once, wait for it, and read its stdout as one document. */
import type { KeyValues } from '../../../src/database/database.js';
import { ConfdError } from '../../../src/errors.js';
import { runProgram } from '../../../src/process/run-command.js';
import { DocumentSyntaxError, parseDocumentText, type FormatSetting } from '../document/index.js';
import type { ExecCommand } from './command-line.js';
import { describeExit } from '../../../src/process/exit-status.js';

export async function runCommandOnce(command: ExecCommand, format: FormatSetting, timeoutMs: number): Promise<KeyValues> {
  let result;
  try {
    result = await runProgram(command.argv, { timeoutMs });
  } catch (error) {
    throw new ConfdError(`exec: cannot run command "${command.label}": ${(error as Error).message}`, { backend: 'exec' }, { cause: error });
  }
  if (result.timedOut) throw new ConfdError(`exec: command "${command.label}" timed out after ${timeoutMs / 1000}s${stderrHint(result.stderr)}`, { backend: 'exec' });
  if (result.stdoutOverflow) throw new ConfdError(`exec: command "${command.label}" printed more than 64 MiB`, { backend: 'exec' });
  if (result.exitCode !== 0) throw new ConfdError(`exec: command "${command.label}" ${describeExit({ code: result.exitCode, signal: result.signal })}${stderrHint(result.stderr)}`, { backend: 'exec' });
  return parseOutput(command, result.stdout, format);
}

export function parseOutput(command: ExecCommand, text: string, format: FormatSetting, what = 'printed'): KeyValues {
  try {
    return parseDocumentText(text, format);
  } catch (error) {
    if (!(error instanceof DocumentSyntaxError)) throw error;
    throw new ConfdError(`exec: command "${command.label}" ${what} ${error.message}`, { backend: 'exec', line: error.line }, { cause: error });
  }
}

/** `; stderr: <first non-blank line>` — usually the reason. */
export function stderrHint(stderr: string): string {
  const first = stderr.split('\n').find((line) => line.trim() !== '');
  return first ? `; stderr: ${first.trim().slice(0, 200)}` : '';
}
