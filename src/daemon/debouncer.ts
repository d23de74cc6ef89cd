/**
 * consul-template's quiescence (`wait = "min:max"`): every poke snoozes the firing by
 * `min`, but never past `max` after the first poke of the burst. A burst of changes
 * therefore yields one render. Without a wait spec the callback runs on the next tick,
 * which still merges the pokes of one event (several resources on one prefix).
 */
import type { WaitSpec } from '../config/settings.js';

export class Debouncer {
  private timer: NodeJS.Timeout | undefined;
  private deadline = 0;

  constructor(
    private wait: WaitSpec | undefined,
    private readonly fire: () => void,
  ) {}

  /** True while a firing is scheduled. */
  get pending(): boolean {
    return this.timer !== undefined;
  }

  /** Changes the spec (SIGHUP); a scheduled firing keeps its time. */
  setWait(wait: WaitSpec | undefined): void {
    this.wait = wait;
  }

  poke(): void {
    const now = Date.now();
    const min = this.wait?.minMs ?? 0;
    const max = this.wait?.maxMs ?? 0;
    if (this.timer === undefined) this.deadline = now + max;
    else clearTimeout(this.timer);
    const fireAt = Math.min(now + min, Math.max(this.deadline, now));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, fireAt - now);
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
