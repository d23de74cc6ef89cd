/** Output that does not parse, with the line a user should look at. */
export class DocumentSyntaxError extends Error {
  constructor(
    readonly format: string,
    /** 1-based; undefined when the parser could not say. */
    readonly line: number | undefined,
    /** The text of that line (cut to 120 characters). */
    readonly lineText: string | undefined,
    readonly reason: string,
  ) {
    super(`invalid ${format.toUpperCase()}${line !== undefined ? ` at line ${line}` : ''}: ${reason}${lineText !== undefined ? ` (line: ${JSON.stringify(cut(lineText))})` : ''}`);
    this.name = 'DocumentSyntaxError';
  }
}

function cut(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
