/**
 * Errors are values with context. Code that fails attaches what a user needs to find
 * the cause (file and line, resource, template, key, plugin and its path); the CLI
 * decides how to print them and which exit code to use.
 */
export interface ErrorContext {
  /** A config or resource file. */
  file?: string;
  line?: number;
  column?: number;
  /** The template resource (its conf.d file) the error belongs to. */
  resource?: string;
  /** The template source file. */
  template?: string;
  key?: string;
  /** The backend or plugin name, and the plugin's executable path. */
  backend?: string;
  pluginPath?: string;
  /** A config setting name (`interval`, `--node`, `CONFD_NODE`). */
  setting?: string;
}

export class ConfdError extends Error {
  readonly context: ErrorContext;

  constructor(message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfdError';
    this.context = context;
  }

  /** A copy with more context; existing fields win, so the innermost detail is kept. */
  withContext(extra: ErrorContext): ConfdError {
    return new ConfdError(this.message, { ...extra, ...this.context }, { cause: this.cause });
  }
}

/** Wraps anything thrown into a ConfdError, adding context. */
export function toConfdError(error: unknown, context: ErrorContext = {}): ConfdError {
  if (error instanceof ConfdError) return error.withContext(context);
  const message = error instanceof Error ? error.message : String(error);
  return new ConfdError(message, context, { cause: error });
}

/** `file:line:col` when known. */
export function formatLocation(context: ErrorContext): string | undefined {
  if (!context.file) return undefined;
  let where = context.file;
  if (context.line !== undefined) where += `:${context.line}`;
  if (context.line !== undefined && context.column !== undefined) where += `:${context.column}`;
  return where;
}

/** One line a user can act on: `<where>: <message> (resource …, key …)`. */
export function formatError(error: unknown): string {
  const e = error instanceof ConfdError ? error : toConfdError(error);
  const c = e.context;
  const where = formatLocation(c);
  const details: string[] = [];
  if (c.resource && c.resource !== c.file) details.push(`resource ${c.resource}`);
  if (c.template && c.template !== c.file) details.push(`template ${c.template}`);
  if (c.key && !e.message.includes(c.key)) details.push(`key ${c.key}`);
  if (c.backend && !e.message.includes(c.backend)) details.push(`backend ${c.backend}`);
  if (c.pluginPath && !e.message.includes(c.pluginPath)) details.push(`plugin ${c.pluginPath}`);
  if (c.setting && !e.message.includes(c.setting)) details.push(`setting ${c.setting}`);
  return `${where ? where + ': ' : ''}${e.message}${details.length ? ` (${details.join(', ')})` : ''}`;
}

/**
 * An error as structured log fields: `error` (the message) and the context a reader
 * filters on (`resource`, `backend`, `plugin`, `file`, `line`, `key`). Key names only,
 * never values. (The shape of src/log's LogFields: the two rooms are siblings.)
 */
export function errorFields(error: unknown): Record<string, string | number | undefined> {
  const e = error instanceof ConfdError ? error : toConfdError(error);
  const c = e.context;
  return { error: e.message, resource: c.resource, backend: c.backend, plugin: c.pluginPath, file: c.file, line: c.line, template: c.template, key: c.key, setting: c.setting };
}

/** What reportError needs of a logger (src/log's Logger, a sibling room). */
export interface ErrorLogger {
  withContext(fields: Record<string, string | number | undefined>): { error(message: string): void; warn(message: string): void };
}

export interface ReportOptions {
  level?: 'error' | 'warn';
  /** Text before the error (`internal error: `) and after it (`; retrying …`). */
  prefix?: string;
  suffix?: string;
  /** More fields (`dest`). */
  fields?: Record<string, string | number | undefined>;
}

/** Logs an error as one line a user can act on (formatError), with its context as fields in JSON logs. */
export function reportError(logger: ErrorLogger, error: unknown, options: ReportOptions = {}): void {
  const line = (options.prefix ?? '') + formatError(error) + (options.suffix ?? '');
  const scoped = logger.withContext({ ...errorFields(error), ...options.fields });
  if (options.level === 'warn') scoped.warn(line);
  else scoped.error(line);
}
