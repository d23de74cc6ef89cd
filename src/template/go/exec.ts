/**
 * Executes a parsed Go template as text/template does: the walk over the tree, pipelines,
 * variables and their scopes, range/if/with/break/continue, template calls, field and
 * method lookup, argument conversion by the function's Go signature, and Go's error
 * messages with the template position (`template: t.tmpl:3:14: executing "t.tmpl" at
 * <getv "/x">: error calling getv: …`).
 */
import { GO_PARAM_TYPE, KeyedError, type ParamType, type RenderState, type TemplateFunction } from '../functions/define.js';
import { formatValue } from '../functions/fmt/print.js';
import { quote } from '../functions/fmt/quote.js';
import { findMethod } from '../functions/methods.js';
import { GoFloat, GoList, goKind, goTruth, goTypeName, sortedKeys, structTypeOf } from '../functions/values.js';
import {
  N,
  nodeString,
  type ArgNode,
  type BranchNode,
  type ChainNode,
  type CommandNode,
  type FieldNode,
  type IdentifierNode,
  type ListNode,
  type Node,
  type NumberNode,
  type PipeNode,
  type TemplateNode,
  type VariableNode,
} from './ast.js';
import type { TreeSet } from './parser.js';

/** Go allows 100000 nested template calls; the JS stack allows far fewer. */
const MAX_TEMPLATE_DEPTH = 1000;

/** "No final argument" in a pipeline stage (Go's missingVal). */
const MISSING: unique symbol = Symbol('missing');
type Final = unknown;

/** What a walk returns: keep going, or a {{break}}/{{continue}} travelling up to its range. */
const enum Flow {
  Next,
  Break,
  Continue,
}

interface Variable {
  name: string;
  value: unknown;
  /** Declared by range over an interface{} container: Go's static type is interface {}. */
  iface: boolean;
}

export class GoExecError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    readonly key?: string,
  ) {
    super(message);
    this.name = 'GoExecError';
  }
}

export interface ExecutableSet {
  trees: TreeSet;
  /** The file's base name: Go's ParseName, shown in every error location. */
  parseName: string;
  text: string;
}

export function execute(set: ExecutableSet, name: string, state: RenderState): string {
  const root = set.trees.get(name);
  const exec = new Executor(set, state, name);
  if (!root) exec.fail(`${quote(name)} is an incomplete or empty template`);
  exec.walk(undefined, false, root!);
  return exec.out;
}

function isHexInt(text: string): boolean {
  return text.length > 2 && text[0] === '0' && (text[1] === 'x' || text[1] === 'X') && !/[pP]/.test(text);
}

class Executor {
  out = '';
  private vars: Variable[];
  private node: Node | undefined;
  private depth = 0;

  constructor(
    private readonly set: ExecutableSet,
    private readonly state: RenderState,
    private name: string,
  ) {
    this.vars = [{ name: '$', value: undefined, iface: false }];
  }

  // ---- errors ----
  private at(node: Node): void {
    this.node = node;
  }

  fail(message: string, key?: string): never {
    const name = quote(this.name);
    if (!this.node) throw new GoExecError(`template: ${name}: ${message}`, 0, 0, key);
    const before = this.set.text.slice(0, this.node.pos);
    const lineStart = before.lastIndexOf('\n') + 1;
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    const column = Buffer.byteLength(before.slice(lineStart));
    throw new GoExecError(
      `template: ${this.set.parseName}:${line}:${column}: executing ${name} at <${nodeString(this.node)}>: ${message}`,
      line,
      column,
      key,
    );
  }

  // ---- walking ----
  walk(dot: unknown, dotIface: boolean, node: Node): Flow {
    this.at(node);
    switch (node.kind) {
      case N.Text:
        this.out += node.text;
        return Flow.Next;
      case N.List:
        for (const child of node.nodes) {
          const flow = this.walk(dot, dotIface, child);
          if (flow !== Flow.Next) return flow;
        }
        return Flow.Next;
      case N.Action: {
        const value = this.evalPipeline(dot, dotIface, node.pipe);
        if (node.pipe.decl.length === 0) {
          this.at(node);
          this.out += formatValue(value, true);
        }
        return Flow.Next;
      }
      case N.If:
      case N.With:
        return this.walkIfOrWith(dot, dotIface, node);
      case N.Range:
        return this.walkRange(dot, dotIface, node);
      case N.Template:
        this.walkTemplate(dot, dotIface, node);
        return Flow.Next;
      case N.Break:
        return Flow.Break;
      case N.Continue:
        return Flow.Continue;
      default:
        return this.fail(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(dot: unknown, dotIface: boolean, node: BranchNode): Flow {
    const mark = this.vars.length;
    try {
      const value = this.evalPipeline(dot, dotIface, node.pipe);
      if (goTruth(value)) return node.kind === N.With ? this.walk(value, false, node.list) : this.walk(dot, dotIface, node.list);
      return node.elseList ? this.walk(dot, dotIface, node.elseList) : Flow.Next;
    } finally {
      this.vars.length = mark;
    }
  }

  private walkRange(dot: unknown, dotIface: boolean, node: BranchNode): Flow {
    this.at(node);
    const mark = this.vars.length;
    try {
      const value = this.evalPipeline(dot, dotIface, node.pipe);
      const iterationMark = this.vars.length;
      const declared = node.pipe.decl.length;
      const iterate = (index: unknown, element: unknown, iface: boolean): Flow => {
        if (declared > 0) Object.assign(this.vars[this.vars.length - 1], { value: element, iface });
        if (declared > 1) Object.assign(this.vars[this.vars.length - 2], { value: index, iface: false });
        const flow = this.walk(element, iface, node.list);
        this.vars.length = iterationMark;
        return flow;
      };
      const kind = goKind(value);
      if (kind === 'slice') {
        const list = value as unknown[];
        if (list.length > 0) {
          const iface = !(list instanceof GoList) || list.goType === '[]interface {}';
          for (let i = 0; i < list.length; i++) if (iterate(i, list[i], iface) === Flow.Break) break;
          return Flow.Next;
        }
      } else if (kind === 'map') {
        const map = value as Record<string, unknown>;
        const keys = sortedKeys(map);
        if (keys.length > 0) {
          for (const key of keys) if (iterate(key, map[key], true) === Flow.Break) break;
          return Flow.Next;
        }
      } else if (kind !== 'invalid' && kind !== 'nil') {
        // Go prints the value here; it may be a secret, so we name its type instead.
        this.fail(`range can't iterate over a value of type ${goTypeName(value)}`);
      }
      return node.elseList ? this.walk(dot, dotIface, node.elseList) : Flow.Next;
    } finally {
      this.vars.length = mark;
    }
  }

  private walkTemplate(dot: unknown, dotIface: boolean, node: TemplateNode): void {
    this.at(node);
    const tree = this.set.trees.get(node.name);
    if (!tree) this.fail(`template ${quote(node.name)} not defined`);
    if (this.depth >= MAX_TEMPLATE_DEPTH) this.fail(`exceeded maximum template depth (${MAX_TEMPLATE_DEPTH})`);
    const newDot = node.pipe ? this.evalPipeline(dot, dotIface, node.pipe) : undefined;
    const saved = { vars: this.vars, name: this.name };
    this.vars = [{ name: '$', value: newDot, iface: false }];
    this.name = node.name;
    this.depth++;
    try {
      this.walk(newDot, false, tree!);
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.name = saved.name;
    }
  }

  // ---- pipelines and commands ----
  private evalPipeline(dot: unknown, dotIface: boolean, pipe: PipeNode): unknown {
    this.at(pipe);
    let value: unknown = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, dotIface, cmd, value);
      // A nil interface is no value at all (Go unwraps interface{} results here).
      if (value === null) value = undefined;
    }
    for (const variable of pipe.decl) {
      if (pipe.isAssign) this.setVar(variable.ident[0], value);
      else this.vars.push({ name: variable.ident[0], value, iface: false });
    }
    return value;
  }

  private notAFunction(args: ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.fail(`can't give argument to non-function ${nodeString(args[0])}`);
  }

  private evalCommand(dot: unknown, dotIface: boolean, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0];
    switch (first.kind) {
      case N.Field:
        return this.evalFieldNode(dot, dotIface, first, cmd.args, final);
      case N.Chain:
        return this.evalChainNode(dot, dotIface, first, cmd.args, final);
      case N.Identifier:
        return this.evalFunction(dot, dotIface, first, cmd, cmd.args, final);
      case N.Pipe:
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, dotIface, first);
      case N.Variable:
        return this.evalVariableNode(dot, dotIface, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.kind) {
      case N.Bool:
        return first.value;
      case N.Dot:
        return dot;
      case N.Nil:
        return this.fail('nil is not a command');
      case N.Number:
        return this.idealConstant(first);
      case N.String:
        return first.text;
    }
  }

  private idealConstant(node: NumberNode): unknown {
    this.at(node);
    const c = node.constant;
    if (c.isFloat && !isHexInt(c.text) && c.text[0] !== "'" && /[.eEpP]/.test(c.text)) return new GoFloat(c.float);
    if (c.isInt) return c.int;
    if (c.isUint) this.fail(`${c.text} overflows int`);
    return undefined;
  }

  private evalFunction(dot: unknown, dotIface: boolean, node: IdentifierNode, cmd: Node, args: ArgNode[] | undefined, final: Final): unknown {
    this.at(node);
    return this.evalCall(dot, dotIface, node.fn, node.builtin, cmd, node.name, args, final);
  }

  private evalFieldNode(dot: unknown, dotIface: boolean, field: FieldNode, args: ArgNode[] | undefined, final: Final): unknown {
    this.at(field);
    return this.evalFieldChain(dot, dotIface, dot, dotIface, field, field.ident, args, final);
  }

  private evalChainNode(dot: unknown, dotIface: boolean, chain: ChainNode, args: ArgNode[] | undefined, final: Final): unknown {
    this.at(chain);
    if (chain.node.kind === N.Nil) this.fail(`indirection through explicit nil in ${nodeString(chain)}`);
    let receiver: unknown;
    if (chain.node.kind === N.Identifier) receiver = this.evalFunction(dot, dotIface, chain.node, chain.node, undefined, MISSING);
    else if (chain.node.kind === N.Pipe) receiver = this.evalPipeline(dot, dotIface, chain.node);
    else receiver = this.evalArg(dot, dotIface, 'value', chain.node);
    return this.evalFieldChain(dot, dotIface, receiver, false, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: unknown, dotIface: boolean, variable: VariableNode, args: ArgNode[] | undefined, final: Final): unknown {
    this.at(variable);
    const v = this.variable(variable.ident[0]);
    if (variable.ident.length === 1) {
      this.notAFunction(args ?? [variable], final);
      return v.value;
    }
    return this.evalFieldChain(dot, dotIface, v.value, v.iface, variable, variable.ident.slice(1), args, final);
  }

  private evalFieldChain(
    dot: unknown,
    dotIface: boolean,
    receiver: unknown,
    receiverIface: boolean,
    node: Node,
    ident: string[],
    args: ArgNode[] | undefined,
    final: Final,
  ): unknown {
    let current = receiver;
    let iface = receiverIface;
    for (let i = 0; i < ident.length - 1; i++) {
      [current, iface] = this.evalField(dot, dotIface, ident[i], node, undefined, MISSING, current, iface);
    }
    return this.evalField(dot, dotIface, ident[ident.length - 1], node, args, final, current, iface)[0];
  }

  /** One `.Name` step: a method call, a struct field or a map key. Returns the value and whether its static type is interface{}. */
  private evalField(
    dot: unknown,
    dotIface: boolean,
    name: string,
    node: Node,
    args: ArgNode[] | undefined,
    final: Final,
    receiver: unknown,
    receiverIface: boolean,
  ): [unknown, boolean] {
    if (receiver === undefined) return [undefined, false];
    const typ = receiverIface ? 'interface {}' : goTypeName(receiver);
    if (receiver === null) this.fail(`nil pointer evaluating ${typ}.${name}`);
    const method = findMethod(receiver, name);
    if (method) return [this.evalCall(dot, dotIface, method, false, node, name, args, final), false];
    const hasArgs = (args !== undefined && args.length > 1) || final !== MISSING;
    const struct = structTypeOf(receiver);
    if (struct) {
      const field = struct.fields.find(([fieldName]) => fieldName === name);
      if (field) {
        if (hasArgs) this.fail(`${name} has arguments but cannot be invoked as function`);
        return [field[1](receiver as never), false];
      }
    } else if (goKind(receiver) === 'map') {
      if (hasArgs) this.fail(`${name} is not a method but has arguments`);
      const map = receiver as Record<string, unknown>;
      return [Object.hasOwn(map, name) ? map[name] : undefined, true];
    }
    return this.fail(`can't evaluate field ${name} in type ${typ}`);
  }

  private variable(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i];
    return this.fail(`undefined variable: ${name}`);
  }

  private setVar(name: string, value: unknown): void {
    const v = this.variable(name);
    v.value = value;
    v.iface = false;
  }

  // ---- calls ----
  private evalCall(
    dot: unknown,
    dotIface: boolean,
    fn: TemplateFunction,
    builtin: boolean,
    node: Node,
    name: string,
    allArgs: ArgNode[] | undefined,
    final: Final,
  ): unknown {
    const args = allArgs ? allArgs.slice(1) : [];
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const numFixed = fn.variadic !== undefined ? fn.params.length : args.length;
    if (fn.variadic !== undefined) {
      if (numIn < numFixed) this.fail(`wrong number of args for ${name}: want at least ${numFixed} got ${args.length}`);
    } else if (numIn !== fn.params.length) {
      this.fail(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);
    }

    if (builtin && (name === 'and' || name === 'or')) {
      // Go ≥1.18 short-circuits: arguments after the deciding one are never evaluated.
      let value: unknown;
      for (const arg of args) {
        value = this.evalArg(dot, dotIface, 'value', arg);
        if (goTruth(value) === (name === 'or')) return value;
      }
      return final !== MISSING ? final : value;
    }

    const argv: unknown[] = new Array(numIn);
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv[i] = this.evalArg(dot, dotIface, fn.params[i], args[i]);
    if (fn.variadic !== undefined) for (; i < args.length; i++) argv[i] = this.evalArg(dot, dotIface, fn.variadic, args[i]);
    if (final !== MISSING) {
      let type: ParamType;
      if (fn.variadic !== undefined) type = numIn - 1 < numFixed ? fn.params[numIn - 1] : fn.variadic;
      else type = fn.params[fn.params.length - 1];
      argv[i] = this.validateType(final, type);
    }
    try {
      return fn.call(argv, this.state);
    } catch (error) {
      this.at(node);
      const message = error instanceof Error ? error.message : String(error);
      return this.fail(`error calling ${name}: ${message}`, error instanceof KeyedError ? error.key : undefined);
    }
  }

  /** An argument evaluated and converted to the parameter's Go type, with Go's errors. */
  private evalArg(dot: unknown, dotIface: boolean, type: ParamType, node: ArgNode): unknown {
    this.at(node);
    switch (node.kind) {
      case N.Dot:
        return this.validateType(dot, type);
      case N.Nil:
        if (type === 'any' || type === 'value' || type === '[]string' || type === '[]KVPair') return this.validateType(undefined, type);
        return this.fail(`cannot assign nil to ${GO_PARAM_TYPE[type]}`);
      case N.Field:
        return this.validateType(this.evalFieldNode(dot, dotIface, node, [node], MISSING), type);
      case N.Variable:
        return this.validateType(this.evalVariableNode(dot, dotIface, node, undefined, MISSING), type);
      case N.Pipe:
        return this.validateType(this.evalPipeline(dot, dotIface, node), type);
      case N.Identifier:
        return this.validateType(this.evalFunction(dot, dotIface, node, node, undefined, MISSING), type);
      case N.Chain:
        return this.validateType(this.evalChainNode(dot, dotIface, node, undefined, MISSING), type);
    }
    switch (type) {
      case 'bool':
        if (node.kind === N.Bool) return node.value;
        return this.fail(`expected bool; found ${nodeString(node)}`);
      case 'int':
        if (node.kind === N.Number && node.constant.isInt) return node.constant.int;
        return this.fail(`expected integer; found ${nodeString(node)}`);
      case 'string':
        if (node.kind === N.String) return node.text;
        return this.fail(`expected string; found ${nodeString(node)}`);
      case 'any':
      case 'value':
        if (node.kind === N.Bool) return node.value;
        if (node.kind === N.Number) return this.idealConstant(node);
        return node.text;
      default:
        return this.fail(`can't handle ${nodeString(node)} for arg of type ${GO_PARAM_TYPE[type]}`);
    }
  }

  /** Go's validateType: is an evaluated value assignable to the parameter? */
  private validateType(value: unknown, type: ParamType): unknown {
    if (value === undefined) {
      switch (type) {
        case 'value':
          return undefined;
        case 'any':
          return null;
        case '[]string':
          return GoList.fromItems([], '[]string');
        case '[]KVPair':
          return GoList.fromItems([], '[]memkv.KVPair');
        default:
          return this.fail(`invalid value; expected ${GO_PARAM_TYPE[type]}`);
      }
    }
    let ok: boolean;
    switch (type) {
      case 'value':
      case 'any':
        return value;
      case 'string':
        ok = typeof value === 'string';
        break;
      case 'int':
        ok = typeof value === 'number' && Number.isInteger(value);
        break;
      case 'bool':
        ok = typeof value === 'boolean';
        break;
      case '[]string':
        ok = value instanceof GoList && value.goType === '[]string';
        break;
      case '[]KVPair':
        ok = value instanceof GoList && (value.goType === 'memkv.KVPairs' || value.goType === '[]memkv.KVPair');
        break;
    }
    if (ok) return value;
    const got = value === null ? 'interface {}' : goTypeName(value);
    return this.fail(`wrong type for value; expected ${GO_PARAM_TYPE[type]}; got ${got}`);
  }
}
