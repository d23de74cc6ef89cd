/**
 * /health and /ready, decided without Prometheus:
 *
 *   health  every backend the resources read has been contacted, its last contact
 *           succeeded, and that was within `staleAfterMs` (the resync interval plus the
 *           backend deadline: a daemon that stopped hearing from its backend for longer
 *           is not healthy, even if nothing failed); 0 means no limit (`--interval 0`)
 *   ready   the first full pass succeeded (every resource rendered once)
 */
export interface BackendHealthReport {
  ok: boolean;
  /** ISO time of the last contact that succeeded, if any. */
  lastSuccess?: string;
  /** ISO time of the last contact that failed, if any. */
  lastFailure?: string;
  /** Why it is not ok. */
  reason?: string;
}

export interface HealthReport {
  ok: boolean;
  backends: Record<string, BackendHealthReport>;
}

interface Contact {
  lastOk?: number;
  lastFail?: number;
  lastWasOk: boolean;
}

export class HealthState {
  private readonly contacts = new Map<string, Contact>();
  private inUse: readonly string[] = [];
  private isReady = false;

  constructor(
    private readonly staleAfterMs: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  contact(backend: string, ok: boolean): void {
    const contact = this.contacts.get(backend) ?? { lastWasOk: false };
    if (ok) contact.lastOk = this.now();
    else contact.lastFail = this.now();
    contact.lastWasOk = ok;
    this.contacts.set(backend, contact);
  }

  backendsInUse(backends: readonly string[]): void {
    this.inUse = [...backends];
    for (const name of [...this.contacts.keys()]) if (!backends.includes(name)) this.contacts.delete(name);
  }

  ready(): void {
    this.isReady = true;
  }

  get readyNow(): boolean {
    return this.isReady;
  }

  /** True when `backend` is healthy now. */
  backendOk(backend: string): boolean {
    return this.describe(backend).ok;
  }

  health(): HealthReport {
    const backends: Record<string, BackendHealthReport> = {};
    for (const name of this.inUse) backends[name] = this.describe(name);
    return { ok: Object.values(backends).every((b) => b.ok), backends };
  }

  private describe(backend: string): BackendHealthReport {
    const contact = this.contacts.get(backend);
    const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
    const times = { lastSuccess: iso(contact?.lastOk), lastFailure: iso(contact?.lastFail) };
    if (!contact || contact.lastOk === undefined && contact.lastFail === undefined) return { ok: false, reason: 'not contacted yet' };
    if (!contact.lastWasOk) return { ok: false, ...times, reason: 'the last contact failed' };
    const staleAfter = this.staleAfterMs();
    if (staleAfter > 0 && this.now() - (contact.lastOk ?? 0) > staleAfter) {
      return { ok: false, ...times, reason: `no successful contact for more than ${Math.round(staleAfter / 1000)}s` };
    }
    return { ok: true, ...times };
  }
}
