/**
 * A bounded trace of simulator events. Off in normal runs (formatting costs time);
 * a failing seed is replayed with it on, which is exact because runs are deterministic.
 */

/** The most recent events, at most `max` of them. */
export class Trace {
  private readonly events: string[] = [];

  /** `enabled` false makes `add` a no-op; `max` bounds memory. */
  constructor(
    readonly enabled: boolean,
    private readonly max = Number(globalThis.process?.env?.TRACE_MAX ?? 200),
  ) {}

  /** Records an event built lazily, so a disabled trace costs nothing. */
  add(tick: number, make: () => string): void {
    if (!this.enabled) return;
    this.events.push(`[${tick}] ${make()}`);
    if (this.events.length > this.max * 2) this.events.splice(0, this.events.length - this.max);
  }

  /** The last `max` events, oldest first. */
  lines(): string[] {
    return this.events.slice(-this.max);
  }
}
