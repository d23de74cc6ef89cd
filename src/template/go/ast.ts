/** The parse tree of a Go template, node for node as Go's text/template/parse builds it. */
import type { TemplateFunction } from '../functions/define.js';
import type { NumberConstant } from './number.js';

export const enum N {
  List,
  Text,
  Action,
  Pipe,
  Command,
  Identifier,
  Field,
  Variable,
  Chain,
  Dot,
  Nil,
  Bool,
  Number,
  String,
  If,
  Range,
  With,
  Template,
  Break,
  Continue,
  // only while parsing
  End,
  Else,
}

/** Every node knows where it starts in the source (for `file:line:col` in errors). */
interface At {
  pos: number;
}

export interface ListNode extends At {
  kind: N.List;
  nodes: Node[];
}
export interface TextNode extends At {
  kind: N.Text;
  text: string;
}
export interface ActionNode extends At {
  kind: N.Action;
  pipe: PipeNode;
}
export interface PipeNode extends At {
  kind: N.Pipe;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface CommandNode extends At {
  kind: N.Command;
  args: ArgNode[];
}
export interface IdentifierNode extends At {
  kind: N.Identifier;
  name: string;
  fn: TemplateFunction;
  builtin: boolean;
}
export interface FieldNode extends At {
  kind: N.Field;
  ident: string[];
}
export interface VariableNode extends At {
  kind: N.Variable;
  /** `$x` first, then any fields: `$x.a.b` is ['$x', 'a', 'b']. */
  ident: string[];
}
export interface ChainNode extends At {
  kind: N.Chain;
  node: ArgNode;
  field: string[];
}
export interface DotNode extends At {
  kind: N.Dot;
}
export interface NilNode extends At {
  kind: N.Nil;
}
export interface BoolNode extends At {
  kind: N.Bool;
  value: boolean;
}
export interface NumberNode extends At {
  kind: N.Number;
  constant: NumberConstant;
}
export interface StringNode extends At {
  kind: N.String;
  /** As written, with quotes. */
  quoted: string;
  text: string;
}
export interface BranchNode extends At {
  kind: N.If | N.Range | N.With;
  pipe: PipeNode;
  list: ListNode;
  elseList?: ListNode;
}
export interface TemplateNode extends At {
  kind: N.Template;
  name: string;
  pipe?: PipeNode;
}
export interface LoopControlNode extends At {
  kind: N.Break | N.Continue;
}
export interface EndNode extends At {
  kind: N.End;
}
export interface ElseNode extends At {
  kind: N.Else;
}

export type ArgNode =
  | IdentifierNode
  | FieldNode
  | VariableNode
  | ChainNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

export type Node = ListNode | TextNode | ActionNode | BranchNode | TemplateNode | LoopControlNode | ArgNode | CommandNode | EndNode | ElseNode;

/** Go's Node.String(): the source form, used in error contexts (`at <getv "/x">`). */
export function nodeString(node: Node): string {
  switch (node.kind) {
    case N.List:
      return node.nodes.map(nodeString).join('');
    case N.Text:
      return node.text;
    case N.Action:
      return `{{${nodeString(node.pipe)}}}`;
    case N.Pipe: {
      let out = '';
      if (node.decl.length > 0) out = node.decl.map(nodeString).join(', ') + (node.isAssign ? ' = ' : ' := ');
      return out + node.cmds.map(nodeString).join(' | ');
    }
    case N.Command:
      return node.args.map((arg) => (arg.kind === N.Pipe ? `(${nodeString(arg)})` : nodeString(arg))).join(' ');
    case N.Identifier:
      return node.name;
    case N.Field:
      return node.ident.map((f) => '.' + f).join('');
    case N.Variable:
      return node.ident.join('.');
    case N.Chain: {
      const head = node.node.kind === N.Pipe ? `(${nodeString(node.node)})` : nodeString(node.node);
      return head + node.field.map((f) => '.' + f).join('');
    }
    case N.Dot:
      return '.';
    case N.Nil:
      return 'nil';
    case N.Bool:
      return node.value ? 'true' : 'false';
    case N.Number:
      return node.constant.text;
    case N.String:
      return node.quoted;
    case N.If:
    case N.Range:
    case N.With: {
      const name = node.kind === N.If ? 'if' : node.kind === N.Range ? 'range' : 'with';
      const elsePart = node.elseList ? `{{else}}${nodeString(node.elseList)}` : '';
      return `{{${name} ${nodeString(node.pipe)}}}${nodeString(node.list)}${elsePart}{{end}}`;
    }
    case N.Template:
      return node.pipe ? `{{template ${JSON.stringify(node.name)} ${nodeString(node.pipe)}}}` : `{{template ${JSON.stringify(node.name)}}}`;
    case N.Break:
      return '{{break}}';
    case N.Continue:
      return '{{continue}}';
    case N.End:
      return '{{end}}';
    case N.Else:
      return '{{else}}';
  }
}
