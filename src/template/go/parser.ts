/**
 * Go text/template's parser: builds the trees of one template file (the file itself and
 * every `define`/`block`), checks functions and variables as Go does at parse time, and
 * fails with Go's message: `template: <name>:<line>: <what>`.
 */
import type { TemplateFunction } from '../functions/define.js';
import { quote } from '../functions/fmt/quote.js';
import {
  N,
  nodeString,
  type ArgNode,
  type BranchNode,
  type CommandNode,
  type ElseNode,
  type EndNode,
  type ListNode,
  type Node,
  type PipeNode,
  type VariableNode,
} from './ast.js';
import { lex, Tok, type Token } from './lexer.js';
import { parseCharConstant, parseNumber, unquoteString } from './number.js';

export interface FunctionEntry {
  fn: TemplateFunction;
  builtin: boolean;
}

/** The trees of one file, by template name; the file's own tree is named after the file. */
export type TreeSet = Map<string, ListNode>;

export class GoParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'GoParseError';
  }
}

const KEYWORD_TOKENS = new Set([Tok.Dot, Tok.Block, Tok.Break, Tok.Continue, Tok.Define, Tok.Else, Tok.End, Tok.If, Tok.Nil, Tok.Range, Tok.Template, Tok.With]);

/** Go's item.String(), as parse errors show tokens. */
function tokenString(token: Token): string {
  if (token.type === Tok.EOF) return 'EOF';
  if (token.type === Tok.Error) return token.text;
  if (KEYWORD_TOKENS.has(token.type)) return `<${token.text}>`;
  const runes = Array.from(token.text);
  if (runes.length > 10) return `${quote(runes.slice(0, 10).join(''))}...`;
  return quote(token.text);
}

function isEmptyTree(list: ListNode): boolean {
  return list.nodes.every((n) => n.kind === N.Text && /^[ \t\r\n]*$/.test(n.text));
}

export function parseTemplate(name: string, text: string, functions: ReadonlyMap<string, FunctionEntry>): TreeSet {
  return new Parser(name, text, functions).parse();
}

class Parser {
  private readonly tokens: Token[];
  private i = 0;
  /** The furthest token read: Go reports a parse error at its line. */
  private seen = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private actionLine = 0;
  private readonly trees: TreeSet = new Map();

  constructor(
    private readonly name: string,
    text: string,
    private readonly functions: ReadonlyMap<string, FunctionEntry>,
  ) {
    this.tokens = lex(text);
  }

  // ---- token stream ----
  private next(): Token {
    const token = this.tokens[Math.min(this.i, this.tokens.length - 1)];
    this.i++;
    this.seen = Math.max(this.seen, this.i - 1);
    return token;
  }
  private backup(n = 1): void {
    this.i -= n;
  }
  private peek(): Token {
    const token = this.next();
    this.backup();
    return token;
  }
  private nextNonSpace(): Token {
    let token: Token;
    do token = this.next();
    while (token.type === Tok.Space);
    return token;
  }
  private peekNonSpace(): Token {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  // ---- errors ----
  private errorf(message: string): never {
    const line = this.tokens[Math.min(this.seen, this.tokens.length - 1)].line;
    throw new GoParseError(`template: ${this.name}:${line}: ${message}`, line);
  }
  private unexpected(token: Token, context: string): never {
    if (token.type === Tok.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.name}:${this.actionLine}`;
        if (token.text.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(token.text + extra);
    }
    this.errorf(`unexpected ${tokenString(token)} in ${context}`);
  }
  private expect(type: Tok, context: string): Token {
    const token = this.nextNonSpace();
    if (token.type !== type) this.unexpected(token, context);
    return token;
  }
  private unquote(text: string): string {
    try {
      return unquoteString(text);
    } catch (error) {
      this.errorf((error as Error).message);
    }
  }

  // ---- trees ----
  parse(): TreeSet {
    const root: ListNode = { kind: N.List, pos: this.peek().pos, nodes: [] };
    while (this.peek().type !== Tok.EOF) {
      if (this.peek().type === Tok.LeftDelim) {
        const mark = this.i;
        this.next();
        if (this.nextNonSpace().type === Tok.Define) {
          this.parseDefinition();
          continue;
        }
        this.i = mark;
      }
      const node = this.textOrAction();
      if (node.kind === N.End || node.kind === N.Else) this.errorf(`unexpected ${nodeString(node)}`);
      root.nodes.push(node);
    }
    this.add(this.name, root);
    return this.trees;
  }

  /** Adds a tree; redefining a non-empty one in the same file is an error, as in Go. */
  private add(name: string, root: ListNode): void {
    const existing = this.trees.get(name);
    if (!existing || isEmptyTree(existing)) {
      this.trees.set(name, root);
      return;
    }
    if (!isEmptyTree(root)) this.errorf(`template: multiple definition of template ${quote(name)}`);
  }

  /** Parses a nested tree (define, block) with fresh variables and loop depth. */
  private nested<T>(parse: () => T): T {
    const saved = { vars: this.vars, rangeDepth: this.rangeDepth };
    this.vars = ['$'];
    this.rangeDepth = 0;
    try {
      return parse();
    } finally {
      this.vars = saved.vars;
      this.rangeDepth = saved.rangeDepth;
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const token = this.nextNonSpace();
    if (token.type !== Tok.String && token.type !== Tok.RawString) this.unexpected(token, context);
    const name = this.unquote(token.text);
    this.expect(Tok.RightDelim, context);
    this.nested(() => {
      const [root, end] = this.itemList();
      if (end.kind !== N.End) this.errorf(`unexpected ${nodeString(end)} in ${context}`);
      this.add(name, root);
    });
  }

  private itemList(): [ListNode, EndNode | ElseNode] {
    const list: ListNode = { kind: N.List, pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== Tok.EOF) {
      const node = this.textOrAction();
      if (node.kind === N.End || node.kind === N.Else) return [list, node];
      list.nodes.push(node);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.type) {
      case Tok.Text:
        return { kind: N.Text, pos: token.pos, text: token.text };
      case Tok.LeftDelim: {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      default:
        this.unexpected(token, 'input');
    }
  }

  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.type) {
      case Tok.Block:
        return this.blockControl();
      case Tok.Break:
      case Tok.Continue:
        return this.loopControl(token);
      case Tok.Else:
        return this.elseControl();
      case Tok.End:
        return { kind: N.End, pos: this.expect(Tok.RightDelim, 'end').pos };
      case Tok.If:
        return this.control(N.If, true, 'if');
      case Tok.Range:
        return this.control(N.Range, false, 'range');
      case Tok.Template:
        return this.templateControl();
      case Tok.With:
        return this.control(N.With, false, 'with');
    }
    this.backup();
    const pos = this.peek().pos;
    return { kind: N.Action, pos, pipe: this.pipeline('command', Tok.RightDelim) };
  }

  private loopControl(token: Token): Node {
    const word = token.type === Tok.Break ? 'break' : 'continue';
    const next = this.nextNonSpace();
    if (next.type !== Tok.RightDelim) this.unexpected(next, `{{${word}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${word}}} outside {{range}}`);
    return { kind: token.type === Tok.Break ? N.Break : N.Continue, pos: token.pos };
  }

  private elseControl(): ElseNode {
    const peek = this.peekNonSpace();
    // `{{else if …}}`: leave the `if` for the enclosing if to parse.
    if (peek.type === Tok.If) return { kind: N.Else, pos: peek.pos };
    return { kind: N.Else, pos: this.expect(Tok.RightDelim, 'else').pos };
  }

  private control(kind: N.If | N.Range | N.With, allowElseIf: boolean, context: string): BranchNode {
    const varsMark = this.vars.length;
    try {
      const pipe = this.pipeline(context, Tok.RightDelim);
      if (kind === N.Range) this.rangeDepth++;
      const [list, next] = this.itemList();
      if (kind === N.Range) this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.kind === N.Else) {
        if (allowElseIf && this.peek().type === Tok.If) {
          this.next();
          elseList = { kind: N.List, pos: next.pos, nodes: [this.control(N.If, true, 'if')] };
        } else {
          const [elseNodes, end] = this.itemList();
          if (end.kind !== N.End) this.errorf(`expected end; found ${nodeString(end)}`);
          elseList = elseNodes;
        }
      }
      return { kind, pos: pipe.pos, pipe, list, elseList };
    } finally {
      this.vars.length = varsMark;
    }
  }

  private templateName(token: Token, context: string): string {
    if (token.type !== Tok.String && token.type !== Tok.RawString) this.unexpected(token, context);
    return this.unquote(token.text);
  }

  private templateControl(): Node {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().type !== Tok.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, Tok.RightDelim);
    }
    return { kind: N.Template, pos: token.pos, name, pipe };
  }

  private blockControl(): Node {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    const pipe = this.pipeline(context, Tok.RightDelim);
    this.nested(() => {
      const [root, end] = this.itemList();
      if (end.kind !== N.End) this.errorf(`unexpected ${nodeString(end)} in ${context}`);
      this.add(name, root);
    });
    return { kind: N.Template, pos: token.pos, name, pipe };
  }

  // ---- pipelines ----
  private pipeline(context: string, end: Tok): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { kind: N.Pipe, pos: first.pos, isAssign: false, decl: [], cmds: [] };
    this.declarations(pipe, context);
    for (;;) {
      const token = this.nextNonSpace();
      switch (token.type) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case Tok.Bool:
        case Tok.Char:
        case Tok.Dot:
        case Tok.Field:
        case Tok.Identifier:
        case Tok.Number:
        case Tok.Nil:
        case Tok.RawString:
        case Tok.String:
        case Tok.Variable:
        case Tok.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  /** `$x :=`, `$x =`, and in range `$i, $e :=`. */
  private declarations(pipe: PipeNode, context: string): void {
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== Tok.Variable) return;
      const mark = this.i;
      this.nextNonSpace();
      const next = this.peekNonSpace();
      const variable: VariableNode = { kind: N.Variable, pos: v.pos, ident: [v.text] };
      if (next.type === Tok.Assign || next.type === Tok.Declare) {
        pipe.isAssign = next.type === Tok.Assign;
        this.nextNonSpace();
        pipe.decl.push(variable);
        this.vars.push(v.text);
        return;
      }
      if (next.type === Tok.CharOther && next.text === ',') {
        this.nextNonSpace();
        pipe.decl.push(variable);
        this.vars.push(v.text);
        if (context === 'range' && pipe.decl.length < 2) {
          const t = this.peekNonSpace().type;
          if (t === Tok.Variable || t === Tok.RightDelim || t === Tok.RightParen) continue;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      }
      this.i = mark;
      return;
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((cmd, i) => {
      const k = cmd.args[0].kind;
      if (k === N.Bool || k === N.Dot || k === N.Nil || k === N.Number || k === N.String) {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { kind: N.Command, pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const token = this.next();
      if (token.type === Tok.Space) continue;
      if (token.type === Tok.RightDelim || token.type === Tok.RightParen) this.backup();
      else if (token.type !== Tok.Pipe) this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | undefined {
    const node = this.term();
    if (!node) return undefined;
    if (this.peek().type !== Tok.Field) return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === Tok.Field) fields.push(this.next().text.slice(1));
    switch (node.kind) {
      case N.Field:
        return { kind: N.Field, pos, ident: [...node.ident, ...fields] };
      case N.Variable:
        return { kind: N.Variable, pos, ident: [...node.ident, ...fields] };
      case N.Bool:
      case N.String:
      case N.Number:
      case N.Nil:
      case N.Dot:
        this.errorf(`unexpected . after term ${quote(nodeString(node))}`);
      default:
        return { kind: N.Chain, pos, node, field: fields };
    }
  }

  private term(): ArgNode | undefined {
    const token = this.nextNonSpace();
    switch (token.type) {
      case Tok.Identifier: {
        const entry = this.functions.get(token.text);
        if (!entry) this.errorf(`function ${quote(token.text)} not defined`);
        return { kind: N.Identifier, pos: token.pos, name: token.text, fn: entry.fn, builtin: entry.builtin };
      }
      case Tok.Dot:
        return { kind: N.Dot, pos: token.pos };
      case Tok.Nil:
        return { kind: N.Nil, pos: token.pos };
      case Tok.Variable:
        if (!this.vars.includes(token.text)) this.errorf(`undefined variable ${quote(token.text)}`);
        return { kind: N.Variable, pos: token.pos, ident: [token.text] };
      case Tok.Field:
        return { kind: N.Field, pos: token.pos, ident: [token.text.slice(1)] };
      case Tok.Bool:
        return { kind: N.Bool, pos: token.pos, value: token.text === 'true' };
      case Tok.Char:
      case Tok.Number:
        try {
          return { kind: N.Number, pos: token.pos, constant: token.type === Tok.Char ? parseCharConstant(token.text) : parseNumber(token.text) };
        } catch (error) {
          this.errorf((error as Error).message);
        }
      case Tok.LeftParen:
        return this.pipeline('parenthesized pipeline', Tok.RightParen);
      case Tok.String:
      case Tok.RawString:
        return { kind: N.String, pos: token.pos, quoted: token.text, text: this.unquote(token.text) };
    }
    this.backup();
    return undefined;
  }
}
