/**
 * A simulated disk. A write is visible at once (the page cache) but durable only
 * when its fsync completes; a crash throws away everything not yet synced.
 */
import { MemoryStorage } from "../memory-storage.js";
import type { HardState } from "../ready.js";
import type { LogRecord, RaftIndex, Term } from "../types.js";

interface PendingWrite {
  readonly hardState: HardState | undefined;
  readonly truncateFrom: RaftIndex | undefined;
  readonly records: readonly LogRecord[];
}

/** One node's disk: what the core reads now, and what would survive a crash. */
export class SimDisk {
  private durable = new MemoryStorage();
  private durableHard: HardState | undefined;
  /** What the running node sees (durable plus unsynced writes). */
  current = new MemoryStorage();
  private pending: PendingWrite[] = [];

  /** Formats the disk with bootstrap records and hard state (already durable). */
  format(records: readonly LogRecord[], hardState: HardState | undefined): void {
    this.durable = new MemoryStorage(records);
    this.current = new MemoryStorage(records);
    this.durableHard = hardState;
  }

  /** Writes without syncing. */
  write(hardState: HardState | undefined, truncateFrom: RaftIndex | undefined, records: readonly LogRecord[]): void {
    if (hardState === undefined && truncateFrom === undefined && records.length === 0) return;
    this.current.write(truncateFrom, records);
    this.pending.push({ hardState, truncateFrom, records });
  }

  /** Completes the fsync of every write so far. */
  sync(): void {
    for (const w of this.pending) {
      this.durable.write(w.truncateFrom, w.records);
      if (w.hardState !== undefined) this.durableHard = w.hardState;
    }
    this.pending = [];
  }

  /** The durable hard state (what a crash would leave). */
  durableHardState(): HardState | undefined {
    return this.durableHard;
  }

  /** The durable term at `index` (what a crash would leave). */
  durableTerm(index: RaftIndex): Term | undefined {
    return this.durable.term(index);
  }

  /** Whether writes wait for fsync. */
  syncing(): boolean {
    return this.pending.length > 0;
  }

  /** Loses unsynced writes; returns what a restarting node finds. */
  crash(): { storage: MemoryStorage; hardState: HardState | undefined } {
    this.pending = [];
    this.current = new MemoryStorage(this.durable.all());
    return { storage: this.current, hardState: this.durableHard };
  }
}
