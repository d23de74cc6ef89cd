/** JSON log lines carry their context as fields; text lines keep confd's layout. */
import { describe, expect, it } from 'vitest';
import { ConfdError, reportError } from '../../src/errors.js';
import { Logger } from '../../src/log/logger.js';

function capture(format: 'text' | 'json') {
  const lines: string[] = [];
  return { lines, logger: new Logger({ format, sink: { write: (line) => lines.push(line) } }) };
}

describe('withContext', () => {
  it('puts the context in JSON lines as fields, next to time, level and msg', () => {
    const { lines, logger } = capture('json');
    logger.withContext({ resource: '/c/conf.d/a.toml', dest: '/etc/a.conf' }).withContext({ changes: 'content' }).info('Target config /etc/a.conf out of sync: content');
    const record = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(record).toMatchObject({ level: 'info', msg: 'Target config /etc/a.conf out of sync: content', resource: '/c/conf.d/a.toml', dest: '/etc/a.conf', changes: 'content' });
    expect(typeof record.time).toBe('string');
  });

  it("leaves the context out of text lines, which keep confd's layout", () => {
    const { lines, logger } = capture('text');
    logger.withContext({ resource: '/c/conf.d/a.toml', dest: '/etc/a.conf' }).info('Target config /etc/a.conf has been updated');
    expect(lines[0]).toMatch(/^\S+ \S+ confd\[\d+\]: INFO Target config \/etc\/a.conf has been updated\n$/);
  });

  it('is kept by child loggers, and a line’s own fields win', () => {
    const { lines, logger } = capture('json');
    logger.withContext({ plugin: '/p/confd-database-x', backend: 'x' }).child('plugin.x').warn('hello', { backend: 'other' });
    expect(JSON.parse(lines[0])).toMatchObject({ logger: 'plugin.x', plugin: '/p/confd-database-x', backend: 'other' });
  });
});

describe('reportError', () => {
  it('logs formatError as msg and the error context as fields', () => {
    const { lines, logger } = capture('json');
    const error = new ConfdError('key does not exist: /db/host', { file: '/t/a.tmpl', line: 3, resource: '/c/a.toml', template: '/t/a.tmpl', key: '/db/host' });
    reportError(logger, error, { fields: { dest: '/etc/a.conf' } });
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 'error',
      msg: '/t/a.tmpl:3: key does not exist: /db/host (resource /c/a.toml)',
      error: 'key does not exist: /db/host',
      resource: '/c/a.toml',
      file: '/t/a.tmpl',
      line: 3,
      key: '/db/host',
      dest: '/etc/a.conf',
    });
  });

  it('prints just the message in text', () => {
    const { lines, logger } = capture('text');
    reportError(logger, new ConfdError('boom', { backend: 'etcd' }), { level: 'warn', suffix: '; retrying' });
    expect(lines[0]).toMatch(/WARNING boom \(backend etcd\); retrying\n$/);
  });
});
