/**
 * A backend's state as the daemon sees it: healthy, or failing with a retry pending.
 * Logs once per change of state (not once per try), so an outage of an hour is two
 * lines, not a thousand.
 */
import { errorFields, formatError, type ConfdError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { Backoff, MAX_BACKOFF_MS } from './backoff.js';

export class BackendHealth {
  private failingSince: number | undefined;
  private lastMessage = '';
  private readonly backoff = new Backoff({ initialMs: 1000, maxMs: MAX_BACKOFF_MS });

  constructor(
    private readonly backend: string,
    private readonly logger: () => Logger,
  ) {}

  get failing(): boolean {
    return this.failingSince !== undefined;
  }

  /** Records a failure; returns the delay before the next retry. */
  fail(error: ConfdError): number {
    const message = formatError(error);
    const delay = this.backoff.next();
    const logger = this.logger().withContext({ ...errorFields(error), backend: this.backend });
    if (this.failingSince === undefined) {
      this.failingSince = Date.now();
      logger.error(`backend ${this.backend} is failing; retrying with backoff (up to ${MAX_BACKOFF_MS / 1000}s); dest files are left as they are: ${message}`);
    } else if (message !== this.lastMessage) {
      logger.warn(`backend ${this.backend} still failing: ${message}`);
    } else {
      logger.debug(`backend ${this.backend} still failing; next retry in ${delay}ms`, { attempts: this.backoff.attempts });
    }
    this.lastMessage = message;
    return delay;
  }

  /** Records a success; logs the recovery if it was failing. */
  ok(): void {
    if (this.failingSince !== undefined) {
      const seconds = Math.round((Date.now() - this.failingSince) / 100) / 10;
      this.logger().withContext({ backend: this.backend }).info(`backend ${this.backend} recovered after ${seconds}s (${this.backoff.attempts} failed attempts); re-fetched everything`);
    }
    this.failingSince = undefined;
    this.lastMessage = '';
    this.backoff.reset();
  }
}
