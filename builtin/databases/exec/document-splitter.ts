/**
 * Cuts a stream command's stdout into documents as it arrives:
 *
 * - `lines`: one document per non-blank line (NDJSON);
 * - `separated`: documents end at a line `---` or `...` (YAML's markers), so a command
 *   prints a document and then `---` (or `...`) to publish it;
 * - `auto`: decided by the first non-blank line — `{` or `[` means lines, anything else
 *   separated.
 *
 * Text after the last complete document is held until more arrives; when the command
 * exits, {@link DocumentSplitter.end} returns it as a final document.
 */
export type SplitMode = 'lines' | 'separated' | 'auto';

const SEPARATOR = /^(---|\.\.\.)\s*(#.*)?$/;

export class DocumentSplitter {
  private buffer = '';
  private current: string[] = [];

  constructor(private mode: SplitMode) {}

  /** The complete documents `chunk` finishes (blank ones dropped). */
  push(chunk: string): string[] {
    this.buffer += chunk;
    const documents: string[] = [];
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      this.line(line, documents);
    }
    return documents;
  }

  /** The text after the last complete document, as a final document (if not blank). */
  end(): string[] {
    const documents: string[] = [];
    if (this.buffer !== '') this.line(this.buffer, documents);
    this.buffer = '';
    this.finish(documents);
    return documents;
  }

  private line(line: string, documents: string[]): void {
    if (this.mode === 'auto' && line.trim() !== '' && !SEPARATOR.test(line)) {
      const start = line.trimStart()[0];
      this.mode = start === '{' || start === '[' ? 'lines' : 'separated';
    }
    if (this.mode === 'lines') {
      if (line.trim() !== '') documents.push(line);
    } else if (SEPARATOR.test(line)) {
      this.finish(documents);
    } else {
      this.current.push(line);
    }
  }

  private finish(documents: string[]): void {
    const text = this.current.join('\n');
    this.current = [];
    if (text.trim() !== '') documents.push(text + '\n');
  }
}
