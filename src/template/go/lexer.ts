/**
 * Go text/template's lexer: text and actions between `{{` and `}}`, trim markers
 * (`{{- ` and ` -}}`), comments, and the tokens inside actions. It stops at the first
 * error, which it reports as an Error token carrying Go's message.
 */

export const enum Tok {
  Error,
  EOF,
  Text,
  LeftDelim,
  RightDelim,
  Space,
  Identifier,
  Field,
  Variable,
  Dot,
  String,
  RawString,
  Char,
  Number,
  Bool,
  Nil,
  Pipe,
  LeftParen,
  RightParen,
  Declare,
  Assign,
  /** Any other printable ASCII character (`,` in `range $i, $e :=`). */
  CharOther,
  // keywords
  Block,
  Break,
  Continue,
  Define,
  Else,
  End,
  If,
  Range,
  Template,
  With,
}

export interface Token {
  type: Tok;
  /** Offset in the source (UTF-16 index). */
  pos: number;
  text: string;
  /** 1-based line of the token's start. */
  line: number;
}

const KEYWORDS: Record<string, Tok> = {
  block: Tok.Block,
  break: Tok.Break,
  continue: Tok.Continue,
  define: Tok.Define,
  else: Tok.Else,
  end: Tok.End,
  if: Tok.If,
  range: Tok.Range,
  template: Tok.Template,
  with: Tok.With,
  nil: Tok.Nil,
};

const LEFT = '{{';
const RIGHT = '}}';
const TRIM_LEFT = '{{- ';
const COMMENT_OPEN = '/*';
const COMMENT_CLOSE = '*/';

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isAlphaNumeric(c: string): boolean {
  return c === '_' || /^[\p{L}\p{Nd}]$/u.test(c);
}

/** Go's printable ASCII test for the catch-all token. */
function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isPrintableAscii(c: string): boolean {
  const code = c.charCodeAt(0);
  return code >= 0x20 && code < 0x7f;
}

function describeRune(c: string): string {
  const code = c.codePointAt(0)!;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}

export function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let start = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;

  const emit = (type: Tok, text = input.slice(start, pos)): void => {
    tokens.push({ type, pos: start, text, line: startLine });
    start = pos;
    startLine = line;
  };
  const advance = (n = 1): void => {
    for (let i = 0; i < n && pos < input.length; i++) {
      if (input[pos] === '\n') line++;
      pos++;
    }
  };
  const ignore = (): void => {
    start = pos;
    startLine = line;
  };
  const fail = (message: string): Token[] => {
    tokens.push({ type: Tok.Error, pos: start, text: message, line: startLine });
    return tokens;
  };

  /** `-}}` preceded by a space closes the action and trims what follows. */
  const atRightTrim = (): boolean => isSpace(input[pos] ?? '') && input.startsWith('-' + RIGHT, pos + 1);
  const atRightDelim = (): boolean => input.startsWith(RIGHT, pos) || atRightTrim();

  const skipSpaceAfter = (): void => {
    while (pos < input.length && isSpace(input[pos])) advance();
    ignore();
  };

  while (true) {
    // ---- text ----
    const next = input.indexOf(LEFT, pos);
    const textEnd = next < 0 ? input.length : next;
    let trimmedEnd = textEnd;
    const trimLeft = next >= 0 && input.startsWith(TRIM_LEFT.slice(0, 3), next) && isSpace(input[next + 3] ?? '');
    if (trimLeft) while (trimmedEnd > start && isSpace(input[trimmedEnd - 1])) trimmedEnd--;
    advance(textEnd - pos);
    if (trimmedEnd > start) tokens.push({ type: Tok.Text, pos: start, text: input.slice(start, trimmedEnd), line: startLine });
    ignore();
    if (next < 0) {
      tokens.push({ type: Tok.EOF, pos, text: '', line });
      return tokens;
    }

    // ---- left delimiter (and comments) ----
    const delimLength = trimLeft ? 3 : 2;
    const afterMarker = pos + delimLength + (trimLeft ? 1 : 0);
    if (input.startsWith(COMMENT_OPEN, afterMarker)) {
      advance(afterMarker - pos);
      ignore();
      const close = input.indexOf(COMMENT_CLOSE, pos + COMMENT_OPEN.length);
      if (close < 0) return fail('unclosed comment');
      advance(close + COMMENT_CLOSE.length - pos);
      const trimRight = atRightTrim();
      if (!trimRight && !input.startsWith(RIGHT, pos)) return fail('comment ends before closing delimiter');
      // Comments leave no token (Go emits them only with ParseComments).
      advance(trimRight ? 1 + 1 + RIGHT.length : RIGHT.length);
      ignore();
      if (trimRight) skipSpaceAfter();
      continue;
    }
    advance(delimLength);
    emit(Tok.LeftDelim);
    if (trimLeft) {
      advance(1);
      ignore();
    }
    parenDepth = 0;

    // ---- inside the action ----
    for (;;) {
      if (atRightDelim()) {
        if (parenDepth > 0) return fail('unclosed left paren');
        const trimRight = atRightTrim();
        if (trimRight) {
          advance(1);
          ignore();
          advance(1 + RIGHT.length);
        } else {
          advance(RIGHT.length);
        }
        emit(Tok.RightDelim);
        if (trimRight) skipSpaceAfter();
        break;
      }
      if (pos >= input.length) return fail('unclosed action');
      const c = input[pos];
      if (isSpace(c)) {
        while (pos < input.length && isSpace(input[pos]) && !atRightTrim()) advance();
        emit(Tok.Space);
      } else if (c === '=') {
        advance();
        emit(Tok.Assign);
      } else if (c === ':') {
        advance();
        if (input[pos] !== '=') return fail('expected :=');
        advance();
        emit(Tok.Declare);
      } else if (c === '|') {
        advance();
        emit(Tok.Pipe);
      } else if (c === '"' || c === "'") {
        advance();
        for (;;) {
          const d = input[pos];
          if (d === undefined || d === '\n') return fail(c === '"' ? 'unterminated quoted string' : 'unterminated character constant');
          advance();
          if (d === '\\') {
            if (input[pos] === undefined || input[pos] === '\n') return fail(c === '"' ? 'unterminated quoted string' : 'unterminated character constant');
            advance();
          } else if (d === c) {
            break;
          }
        }
        emit(c === '"' ? Tok.String : Tok.Char);
      } else if (c === '`') {
        advance();
        const close = input.indexOf('`', pos);
        if (close < 0) return fail('unterminated raw quoted string');
        advance(close + 1 - pos);
        emit(Tok.RawString);
      } else if (c === '$' || (c === '.' && !isDigit(input[pos + 1]))) {
        advance();
        if (atTerminator()) {
          emit(c === '$' ? Tok.Variable : Tok.Dot);
        } else {
          while (pos < input.length && isAlphaNumeric(input[pos])) advance();
          if (!atTerminator()) return fail(`bad character ${describeRune(String.fromCodePoint(input.codePointAt(pos)!))}`);
          emit(c === '$' ? Tok.Variable : Tok.Field);
        }
      } else if (c === '+' || c === '-' || c === '.' || isDigit(c)) {
        const error = lexNumber();
        if (error) return fail(error);
      } else if (isAlphaNumeric(c)) {
        while (pos < input.length && isAlphaNumeric(input[pos])) advance();
        if (!atTerminator()) return fail(`bad character ${describeRune(String.fromCodePoint(input.codePointAt(pos)!))}`);
        const word = input.slice(start, pos);
        const keyword = KEYWORDS[word];
        if (keyword !== undefined) emit(keyword);
        else if (word === 'true' || word === 'false') emit(Tok.Bool);
        else emit(Tok.Identifier);
      } else if (c === '(') {
        advance();
        emit(Tok.LeftParen);
        parenDepth++;
      } else if (c === ')') {
        advance();
        emit(Tok.RightParen);
        parenDepth--;
        if (parenDepth < 0) return fail(`unexpected right paren ${describeRune(c)}`);
      } else if (isPrintableAscii(c)) {
        advance();
        emit(Tok.CharOther);
      } else {
        return fail(`unrecognized character in action: ${describeRune(String.fromCodePoint(input.codePointAt(pos)!))}`);
      }
    }
  }

  function atTerminator(): boolean {
    const c = input[pos];
    if (c === undefined || isSpace(c)) return true;
    return c === '.' || c === ',' || c === '|' || c === ':' || c === ')' || c === '(' || c === RIGHT[0];
  }

  /** Scans a number the way Go's lexer does; Go's parser later decides whether it is valid. */
  function scanNumber(): boolean {
    if (input[pos] === '+' || input[pos] === '-') advance();
    let digits = '0123456789_';
    if (input[pos] === '0') {
      advance();
      const p = input[pos];
      if (p === 'x' || p === 'X') {
        advance();
        digits = '0123456789abcdefABCDEF_';
      } else if (p === 'o' || p === 'O') {
        advance();
        digits = '01234567_';
      } else if (p === 'b' || p === 'B') {
        advance();
        digits = '01_';
      }
    }
    const run = (set: string) => {
      while (pos < input.length && set.includes(input[pos])) advance();
    };
    run(digits);
    if (input[pos] === '.') {
      advance();
      run(digits);
    }
    if (digits.length === 11 && (input[pos] === 'e' || input[pos] === 'E')) {
      advance();
      if (input[pos] === '+' || input[pos] === '-') advance();
      run('0123456789_');
    }
    if (digits.length === 23 && (input[pos] === 'p' || input[pos] === 'P')) {
      advance();
      if (input[pos] === '+' || input[pos] === '-') advance();
      run('0123456789_');
    }
    if (input[pos] === 'i') advance();
    if (pos < input.length && isAlphaNumeric(input[pos])) {
      advance();
      return false;
    }
    return true;
  }

  function lexNumber(): string | undefined {
    const bad = () => `bad number syntax: ${JSON.stringify(input.slice(start, pos))}`;
    if (!scanNumber()) return bad();
    if (input[pos] === '+' || input[pos] === '-') {
      // A complex constant (1+2i): no spaces, must end in 'i'.
      if (!scanNumber() || input[pos - 1] !== 'i') return bad();
    }
    emit(Tok.Number);
    return undefined;
  }
}
