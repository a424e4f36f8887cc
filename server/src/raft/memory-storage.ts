/**
 * An in-memory `LogStorage` for tests and the simulator. The runtime writes it while
 * handling a Ready (`write`); the core only reads it.
 */
import { invariant } from "./invariant.js";
import type { ConfigAt, EntryAt, LogStorage } from "./storage.js";
import { recordBytes } from "./storage.js";
import type { LogRecord, RaftIndex, Seq, Term } from "./types.js";
import { raftIndex, seq, term } from "./types.js";

/** A whole log held in an array, with the id index the core needs for dedup. */
export class MemoryStorage implements LogStorage {
  private readonly recs: LogRecord[] = [];
  private readonly ids = new Map<string, EntryAt>();
  private configs: ConfigAt[] = [];

  /** Creates a storage holding `records` (which must start at index 1). */
  constructor(records: readonly LogRecord[] = []) {
    this.write(undefined, records);
  }

  /** Drops records from `truncateFrom` (if given), then appends `records` contiguously. */
  write(truncateFrom: RaftIndex | undefined, records: readonly LogRecord[]): void {
    if (truncateFrom !== undefined && truncateFrom <= this.lastIndex()) {
      for (const r of this.recs.splice(Number(truncateFrom) - 1)) {
        if (r.payload.kind === "entry") this.ids.delete(r.payload.entry.id);
      }
      this.configs = this.configs.filter((c) => c.index < truncateFrom);
    }
    for (const r of records) {
      if (r.index <= this.lastIndex()) this.write(r.index, []);
      invariant(r.index === this.lastIndex() + 1n, `storage append not contiguous at ${r.index}`);
      this.recs.push(r);
      if (r.payload.kind === "entry") this.ids.set(r.payload.entry.id, { index: r.index, seq: r.payload.entry.seq });
      if (r.payload.kind === "config") this.configs.push({ index: r.index, change: r.payload.change });
    }
  }

  /** All records, for inspection. */
  all(): readonly LogRecord[] {
    return this.recs;
  }

  /** See `LogStorage`. */
  lastIndex(): RaftIndex {
    return raftIndex(this.recs.length);
  }

  /** See `LogStorage`. */
  term(index: RaftIndex): Term | undefined {
    if (index === 0n) return term(0);
    return this.recs[Number(index) - 1]?.term;
  }

  /** See `LogStorage`. */
  records(from: RaftIndex, maxCount: number, maxBytes: number): readonly LogRecord[] {
    const out: LogRecord[] = [];
    let bytes = 0;
    for (let i = Number(from) - 1; i < this.recs.length && out.length < maxCount; i++) {
      const r = this.recs[i] as LogRecord;
      bytes += recordBytes(r);
      if (out.length > 0 && bytes > maxBytes) break;
      out.push(r);
    }
    return out;
  }

  /** See `LogStorage`. */
  findEntry(id: string): EntryAt | undefined {
    return this.ids.get(id);
  }

  /** See `LogStorage`. */
  lastSeqAtOrBefore(index: RaftIndex): Seq {
    for (let i = Math.min(Number(index), this.recs.length) - 1; i >= 0; i--) {
      const p = (this.recs[i] as LogRecord).payload;
      if (p.kind === "entry") return p.entry.seq;
    }
    return seq(0);
  }

  /** See `LogStorage`. */
  configChanges(): readonly ConfigAt[] {
    return this.configs;
  }
}
