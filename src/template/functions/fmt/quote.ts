/** Go's strconv.Quote, QuoteToASCII, QuoteRune and CanBackquote, and unicode.IsPrint. */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

export function isPrint(rune: number): boolean {
  return PRINTABLE.test(String.fromCodePoint(rune));
}

const SHORT_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function escapeRune(rune: number, quote: number, asciiOnly: boolean): string {
  if (rune === quote || rune === 0x5c) return '\\' + String.fromCodePoint(rune);
  if (asciiOnly ? rune < 0x80 && isPrint(rune) : isPrint(rune)) return String.fromCodePoint(rune);
  const short = SHORT_ESCAPES[rune];
  if (short) return short;
  if (rune < 0x20 || rune === 0x7f) return `\\x${hex(rune, 2)}`;
  if (rune < 0x10000) return `\\u${hex(rune, 4)}`;
  return `\\U${hex(rune, 8)}`;
}

export function quote(text: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of text) out += escapeRune(ch.codePointAt(0)!, 0x22, asciiOnly);
  return out + '"';
}

export function quoteRune(rune: number, asciiOnly = false): string {
  if (rune > 0x10ffff || (rune >= 0xd800 && rune <= 0xdfff)) rune = 0xfffd;
  return `'${escapeRune(rune, 0x27, asciiOnly)}'`;
}

/** Whether `text` can be written as a Go raw string: no backquote, no control characters but tab. */
export function canBackquote(text: string): boolean {
  for (const ch of text) {
    const r = ch.codePointAt(0)!;
    if (r === 0x60 || r === 0xfeff) return false;
    if ((r < 0x20 && r !== 0x09) || r === 0x7f) return false;
  }
  return true;
}
