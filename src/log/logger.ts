/**
 * Structured logging to stderr, in confd's text format or as JSON lines.
 * Secret values must never be passed as fields at info level or above: log key
 * names and what changed, not values.
 */
import { hostname } from 'node:os';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** `hclog` is go-plugin's JSON shape, used by plugins for their stderr. */
export type LogFormat = 'text' | 'json' | 'hclog';
export type LogFields = Record<string, string | number | boolean | undefined>;

const RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };
const TEXT_LABEL: Record<LogLevel, string> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARNING', error: 'ERROR' };

export interface LogSink {
  write(line: string): void;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  sink?: LogSink;
  /** Dotted component name, e.g. `plugin.redis`. */
  name?: string;
  /** Fields every line carries in JSON (`resource`, `dest`, `backend`, `plugin`); see withContext. */
  context?: LogFields;
}

/** Accepts confd's level names too (`warning`, `fatal`, `panic`). */
export function parseLogLevel(value: string): LogLevel | undefined {
  const v = value.trim().toLowerCase();
  if (v === '') return 'info';
  if (v === 'warning') return 'warn';
  if (v === 'fatal' || v === 'panic') return 'error';
  return (LOG_LEVELS as readonly string[]).includes(v) ? (v as LogLevel) : undefined;
}

export class Logger {
  readonly level: LogLevel;
  readonly format: LogFormat;
  readonly name: string | undefined;
  private readonly sink: LogSink;
  private readonly context: LogFields;
  private readonly host = hostname();

  constructor(options: LoggerOptions = {}) {
    this.level = options.level ?? 'info';
    this.format = options.format ?? 'text';
    this.sink = options.sink ?? process.stderr;
    this.name = options.name;
    this.context = options.context ?? {};
  }

  /** A logger for a component; shares level, format, sink and context. */
  child(name: string): Logger {
    return new Logger({ level: this.level, format: this.format, sink: this.sink, name: this.name ? `${this.name}.${name}` : name, context: this.context });
  }

  /**
   * A logger whose JSON lines carry `fields` (the resource, dest, backend or plugin a
   * message is about). Text lines leave them out: there the message already names them,
   * in confd's layout.
   */
  withContext(fields: LogFields): Logger {
    return new Logger({ level: this.level, format: this.format, sink: this.sink, name: this.name, context: { ...this.context, ...fields } });
  }

  enabled(level: LogLevel): boolean {
    return RANK[level] >= RANK[this.level];
  }

  trace(message: string, fields?: LogFields): void { this.log('trace', message, fields); }
  debug(message: string, fields?: LogFields): void { this.log('debug', message, fields); }
  info(message: string, fields?: LogFields): void { this.log('info', message, fields); }
  warn(message: string, fields?: LogFields): void { this.log('warn', message, fields); }
  error(message: string, fields?: LogFields): void { this.log('error', message, fields); }

  log(level: LogLevel, message: string, fields: LogFields = {}): void {
    if (!this.enabled(level)) return;
    const time = new Date().toISOString();
    if (this.format === 'hclog') {
      // go-plugin hosts require exactly 6 fractional digits in @timestamp.
      const record: Record<string, unknown> = { '@level': level, '@message': message, '@timestamp': time.replace(/\.(\d{3})Z$/, '.$1000Z') };
      if (this.name) record['@module'] = this.name;
      this.sink.write(JSON.stringify(withFields(record, this.context, fields)) + '\n');
      return;
    }
    if (this.format === 'json') {
      const record: Record<string, unknown> = { time, level, msg: message };
      if (this.name) record.logger = this.name;
      this.sink.write(JSON.stringify(withFields(record, this.context, fields)) + '\n');
      return;
    }
    const extra = Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === 'string' && /\s/.test(v) ? JSON.stringify(v) : v}`)
      .join(' ');
    const who = this.name ? ` [${this.name}]` : '';
    this.sink.write(`${time} ${this.host} confd[${process.pid}]: ${TEXT_LABEL[level]}${who} ${message}${extra ? ' ' + extra : ''}\n`);
  }
}

/** Adds the defined fields to a JSON record; a line's own fields win over the context. */
function withFields(record: Record<string, unknown>, ...sources: LogFields[]): Record<string, unknown> {
  for (const source of sources) for (const [k, v] of Object.entries(source)) if (v !== undefined) record[k] = v;
  return record;
}

/** A logger that drops everything; for tests and library use. */
export const silentLogger = new Logger({ level: 'error', sink: { write() {} } });
