/**
 * Reading a plugin's stderr: hclog-shaped JSON lines
 * (`{"@level":"info","@message":"…","@timestamp":"2026-11-22T11:56:38.023000Z", …}`),
 * `[LEVEL]`-prefixed lines, and anything else. Plugins write the JSON shape with
 * `new Logger({ format: 'hclog' })`.
 */
import type { LogLevel } from '../../log/logger.js';

export interface ParsedLogLine {
  level: LogLevel;
  message: string;
  fields: Record<string, string>;
}

const LEVELS: Record<string, LogLevel> = { trace: 'trace', debug: 'debug', info: 'info', warn: 'warn', warning: 'warn', error: 'error' };
const PREFIX = /^\[(TRACE|DEBUG|INFO|WARN|ERROR)\]/;

/**
 * Parses one stderr line tolerantly, as go-plugin's host does, minus its panics: hclog
 * JSON gives level, message and fields; `[LEVEL]` prefixes set the level; anything else
 * is debug, or error once the plugin has printed `panic:`.
 */
export function parseLogLine(line: string, inPanic: boolean): ParsedLogLine & { panic: boolean } {
  if (line.startsWith('{')) {
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      const level = typeof record['@level'] === 'string' ? LEVELS[record['@level'].trim().toLowerCase()] : undefined;
      if (level && typeof record['@message'] === 'string') {
        const fields: Record<string, string> = {};
        for (const [k, v] of Object.entries(record)) {
          if (k === '@level' || k === '@message' || k === '@timestamp') continue;
          fields[k] = typeof v === 'string' ? v : JSON.stringify(v);
        }
        return { level, message: record['@message'], fields, panic: inPanic };
      }
    } catch {
      /* not JSON after all */
    }
  }
  const prefix = PREFIX.exec(line);
  if (prefix) return { level: LEVELS[prefix[1].toLowerCase()], message: line, fields: {}, panic: inPanic };
  const panic = inPanic || line.startsWith('panic: ') || line.startsWith('fatal error: ');
  return { level: panic ? 'error' : 'debug', message: line, fields: {}, panic };
}
