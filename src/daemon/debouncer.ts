/**
 * consul-template's quiescence (`wait = "min:max"`): every poke snoozes the firing by
 * `min`, but never past `max` after the first poke of the burst. A burst of changes
 * therefore yields one render. Without a wait spec (or `0:0`) the callback runs in the
 * next check phase (setImmediate, not setTimeout(0), which Node rounds up to 1 ms): that
 * still merges the pokes of one event (several resources on one prefix).
 */
import type { WaitSpec } from '../config/settings.js';

export class Debouncer {
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private deadline = 0;

  constructor(
    private wait: WaitSpec | undefined,
    private readonly fire: () => void,
  ) {}

  /** True while a firing is scheduled. */
  get pending(): boolean {
    return this.timer !== undefined || this.immediate !== undefined;
  }

  /** Changes the spec (SIGHUP); a scheduled firing keeps its time. */
  setWait(wait: WaitSpec | undefined): void {
    this.wait = wait;
  }

  poke(): void {
    const min = this.wait?.minMs ?? 0;
    const max = this.wait?.maxMs ?? 0;
    if (min <= 0 && max <= 0 && this.timer === undefined) {
      // No quiescence: one firing per tick, however many pokes (no Date, no timer).
      this.immediate ??= setImmediate(this.fireNow);
      return;
    }
    const now = Date.now();
    if (this.timer === undefined) this.deadline = now + max;
    this.cancel();
    const fireAt = Math.min(now + min, Math.max(this.deadline, now));
    this.timer = setTimeout(this.fireNow, fireAt - now);
  }

  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private readonly fireNow = (): void => {
    this.timer = undefined;
    this.immediate = undefined;
    this.fire();
  };
}
