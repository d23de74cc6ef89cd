/**
 * Checks a parsed Handlebars template for mistakes Handlebars itself would render as
 * empty text: Go template syntax (`{{.}}`, `{{end}}`, `{{range …}}`, `{{$x := …}}`) and
 * calls to functions that do not exist. Each finding names the line and column and says
 * what to write instead.
 */

/** Appended to every error caused by Go syntax in a Handlebars template. */
export const GO_ENGINE_HINT = 'to use Go templates, set template_engine = "go" in confd.toml (or engine = "go" in the resource)';

/** Text that looks like Go template syntax, for annotating Handlebars parse errors. */
const GO_SYNTAX = /\{\{-?\s*(?:range|end|if|with|define|template|block)\b|\{\{-?\s*[.$]|\{\{- /;

export function looksLikeGoTemplate(text: string): boolean {
  return GO_SYNTAX.test(text);
}

export interface LintFinding {
  message: string;
  line: number;
  column: number;
}

/** Handlebars' own helpers, always defined. */
const HANDLEBARS_BUILTINS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log']);

const GO_KEYWORDS: Record<string, string> = {
  end: 'Handlebars closes a block with {{/if}}, {{/each}} or {{/with}}',
  range: 'Handlebars iterates with {{#each (gets "/x/*")}}…{{/each}}',
  if: 'Handlebars writes {{#if (exists "/x")}}…{{/if}}',
  with: 'Handlebars writes {{#with (get "/x")}}…{{/with}}',
  define: 'Handlebars has no {{define}}',
  template: 'Handlebars has no {{template}}',
  block: 'Handlebars has no {{block}}',
  break: 'Handlebars has no {{break}}',
  continue: 'Handlebars has no {{continue}}',
};

type Call = hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression;

function simpleName(path: hbs.AST.PathExpression | hbs.AST.Literal): string | undefined {
  if (path.type !== 'PathExpression') return undefined;
  const p = path as hbs.AST.PathExpression;
  return !p.data && p.depth === 0 && p.parts.length === 1 && p.original === p.parts[0] ? p.parts[0] : undefined;
}

export function lintHandlebars(program: hbs.AST.Program, isHelper: (name: string) => boolean): LintFinding | undefined {
  let finding: LintFinding | undefined;
  const report = (node: hbs.AST.Node, message: string) => {
    finding ??= { message, line: node.loc.start.line, column: node.loc.start.column + 1 };
  };

  const checkCall = (node: Call, isMustache: boolean) => {
    const path = node.path as hbs.AST.PathExpression;
    const original = path.type === 'PathExpression' ? path.original : undefined;
    const hasArgs = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    if (isMustache && original !== undefined) {
      if (original === '.' && !hasArgs) return report(node, `{{.}} is Go template syntax; in Handlebars the current value is {{this}}; ${GO_ENGINE_HINT}`);
      if (original.startsWith('$') || original === '-' || original.startsWith('.')) {
        return report(node, `{{${original} …}} is Go template syntax; ${GO_ENGINE_HINT}`);
      }
      const name = simpleName(path);
      if (name !== undefined && Object.hasOwn(GO_KEYWORDS, name) && (hasArgs || !['if', 'with'].includes(name))) {
        return report(node, `{{${name}${hasArgs ? ' …' : ''}}} is Go template syntax: ${GO_KEYWORDS[name]}; ${GO_ENGINE_HINT}`);
      }
    }
    const name = simpleName(path);
    if (hasArgs && name !== undefined && !HANDLEBARS_BUILTINS.has(name) && !isHelper(name)) {
      report(node, `function "${name}" not defined`);
    }
  };

  const visit = (node: hbs.AST.Node | undefined | null): void => {
    if (!node || finding) return;
    switch (node.type) {
      case 'Program':
        (node as hbs.AST.Program).body.forEach(visit);
        return;
      case 'MustacheStatement':
      case 'BlockStatement':
      case 'SubExpression': {
        const call = node as Call;
        checkCall(call, node.type === 'MustacheStatement');
        call.params.forEach(visit);
        call.hash?.pairs.forEach((pair) => visit(pair.value));
        if (node.type === 'BlockStatement') {
          visit((node as hbs.AST.BlockStatement).program);
          visit((node as hbs.AST.BlockStatement).inverse);
        }
        return;
      }
    }
  };
  visit(program);
  return finding;
}

/** Field names of confd's values, for "did you mean" hints. */
const KNOWN_FIELDS = ['Key', 'Value', 'Target', 'Port', 'Priority', 'Weight'];

/** The hint for a field lookup that found nothing (`{{value}}` inside `{{#each (gets …)}}`). */
export function missingFieldHint(name: string): string {
  const match = KNOWN_FIELDS.find((field) => field.toLowerCase() === name.toLowerCase());
  if (match) return `did you mean ${match}?`;
  return `a field that may be missing is tested with {{#if ${name}}}…{{/if}}`;
}
