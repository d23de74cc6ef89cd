/** The deadline decorator's pieces: a timeout that leaves the late answer unobserved, and a deadline error that survives wrapping. */
import { describe, expect, it } from 'vitest';
import { BackendTimeoutError, DeadlineExpired, isDeadlineError, withTimeout } from '../../src/backends/deadline.js';
import { ConfdError, toConfdError } from '../../src/errors.js';

describe('withTimeout', () => {
  it('passes the answer through when it comes in time', async () => {
    expect(await withTimeout(Promise.resolve(42), 1000, () => new Error('late'))).toBe(42);
    await expect(withTimeout(Promise.reject(new Error('no')), 1000, () => new Error('late'))).rejects.toThrow('no');
  });

  it('rejects with the timeout error when the work never answers', async () => {
    await expect(withTimeout(new Promise(() => {}), 10, () => new Error('did not answer'))).rejects.toThrow('did not answer');
  });

  it('leaves a late rejection unobserved rather than unhandled', async () => {
    let rejectLate!: (e: Error) => void;
    const work = new Promise<never>((_, reject) => (rejectLate = reject));
    await expect(withTimeout(work, 10, () => new Error('timeout'))).rejects.toThrow('timeout');
    rejectLate(new Error('too late')); // would crash the process if nobody handled it
    await new Promise((r) => setTimeout(r, 10));
  });
});

describe('isDeadlineError', () => {
  const error = new BackendTimeoutError('backend etcd: GetValues did not answer within 1s (backend_timeout)', { backend: 'etcd' }, new DeadlineExpired('GetValues', 1000));

  it('recognises the error, also after the pass wrapped it with more context', () => {
    expect(isDeadlineError(error)).toBe(true);
    const wrapped = toConfdError(error, { resource: 'app.toml' });
    expect(wrapped).not.toBeInstanceOf(BackendTimeoutError);
    expect(isDeadlineError(wrapped)).toBe(true);
    expect(wrapped.message).toBe(error.message);
  });

  it('is false for other errors', () => {
    expect(isDeadlineError(new ConfdError('backend etcd: connection refused'))).toBe(false);
    expect(isDeadlineError('nope')).toBe(false);
  });
});
