/**
 * The core's view of the log: durable records read through `LogStorage`, plus an
 * in-memory unstable tail of records not yet handed to the runtime for persisting
 * (the same split as etcd-io/raft's storage and unstable log). Thesis §3.5.
 */
import type { ConfigAt, EntryAt, LogStorage } from "./storage.js";
import { recordBytes } from "./storage.js";
import type { LogRecord, RaftIndex, Seq, Term } from "./types.js";
import { raftIndex, term } from "./types.js";
import { invariant } from "./invariant.js";

/** Records to persist, as taken from the unstable tail by a Ready. */
export interface UnstableWrite {
  /** Drop durable records with index >= this before appending (a conflict was repaired). */
  readonly truncateFrom: RaftIndex | undefined;
  readonly records: readonly LogRecord[];
}

/** The log of one core: durable prefix, unstable tail, commit and apply positions. */
export class RaftLog {
  /** Index of the first record in `tail`; every record below it is durable. */
  private offset: RaftIndex;
  private tail: LogRecord[] = [];
  private truncateFrom: RaftIndex | undefined;
  private readonly tailIds = new Map<string, EntryAt>();
  private configs: ConfigAt[];
  private lastSeqValue: Seq;
  /** Bumped whenever the set of config records changes, so the core can recompute membership. */
  configVersion = 0;
  /** Highest index known committed (thesis §3.6). */
  committed: RaftIndex;
  /** Highest index handed to the runtime for applying. */
  applied: RaftIndex;

  /** Wraps durable storage; `committed` comes from the hard state, `applied` from the runtime. */
  constructor(private readonly storage: LogStorage, committed: RaftIndex, applied: RaftIndex) {
    this.offset = raftIndex(storage.lastIndex() + 1n);
    // The commit index is only a hint (it can always be relearned); a runtime that
    // persists it apart from the log may find it ahead after a crash, so cap it.
    this.committed = committed <= storage.lastIndex() ? committed : storage.lastIndex();
    this.applied = applied < this.committed ? applied : this.committed;
    this.configs = [...storage.configChanges()];
    this.lastSeqValue = storage.lastSeqAtOrBefore(storage.lastIndex());
  }

  /** Index of the last record (durable or not); 0 when empty. */
  lastIndex(): RaftIndex {
    return raftIndex(this.offset + BigInt(this.tail.length) - 1n);
  }

  /** Index of the last durable record: everything below the unstable tail. */
  stableIndex(): RaftIndex {
    return raftIndex(this.offset - 1n);
  }

  /** Term of the last record; 0 when empty. */
  lastTerm(): Term {
    return this.term(this.lastIndex()) ?? term(0);
  }

  /** Term at `index`; 0 for index 0; undefined past the end. */
  term(index: RaftIndex): Term | undefined {
    if (index >= this.offset) return this.tail[Number(index - this.offset)]?.term;
    return this.storage.term(index);
  }

  /** Whether the record at `index` has term `t` (the AppendEntries consistency check). */
  matchTerm(index: RaftIndex, t: Term): boolean {
    return this.term(index) === t;
  }

  /** The election restriction: is (lastIndex, lastTerm) at least as up to date as ours (§3.6.1)? */
  isUpToDate(lastIndex: RaftIndex, lastTerm: Term): boolean {
    const myTerm = this.lastTerm();
    return lastTerm > myTerm || (lastTerm === myTerm && lastIndex >= this.lastIndex());
  }

  /** Records from `from`, bounded by count and bytes (at least one if any exists). */
  slice(from: RaftIndex, maxCount: number, maxBytes: number): LogRecord[] {
    const out: LogRecord[] = [];
    let bytes = 0;
    if (from < this.offset) {
      for (const r of this.storage.records(from, maxCount, maxBytes)) {
        if (r.index >= this.offset) break;
        out.push(r);
        bytes += recordBytes(r);
      }
      const last = out[out.length - 1];
      if (last === undefined || last.index < this.offset - 1n || out.length >= maxCount) return out;
    }
    const next = out.length > 0 ? this.offset : from;
    for (let i = Number(next - this.offset); i < this.tail.length && out.length < maxCount; i++) {
      const r = this.tail[i] as LogRecord;
      bytes += recordBytes(r);
      if (out.length > 0 && bytes > maxBytes) break;
      out.push(r);
    }
    return out;
  }

  /**
   * Appends records that follow the last one (a leader's own proposals). Asserts
   * contiguity: a broken index is a bug, not an operating error.
   */
  append(records: readonly LogRecord[]): void {
    for (const r of records) {
      invariant(r.index === this.lastIndex() + 1n, "append must be contiguous");
      this.tail.push(r);
      this.noteAppended(r);
    }
  }

  /**
   * Merges a leader's records that start right after a matched `prevIndex`: skips the
   * ones already present, truncates at the first conflict, appends the rest (§3.5).
   * Returns the index of the last record the leader sent.
   */
  merge(prevIndex: RaftIndex, records: readonly LogRecord[]): RaftIndex {
    let i = 0;
    while (i < records.length && this.matchTerm((records[i] as LogRecord).index, (records[i] as LogRecord).term)) i++;
    if (i < records.length) {
      const first = records[i] as LogRecord;
      invariant(first.index > this.committed, "conflict below the commit index");
      this.truncate(first.index);
      this.append(records.slice(i));
    }
    return raftIndex(prevIndex + BigInt(records.length));
  }

  /** Drops every record at or after `from` (only uncommitted ones may go). */
  private truncate(from: RaftIndex): void {
    if (from > this.lastIndex()) return;
    if (from < this.offset) {
      this.truncateFrom = this.truncateFrom === undefined || from < this.truncateFrom ? from : this.truncateFrom;
      this.offset = from;
      this.tail = [];
    } else {
      this.tail.length = Number(from - this.offset);
    }
    for (const [id, at] of this.tailIds) if (at.index >= from) this.tailIds.delete(id);
    const kept = this.configs.filter((c) => c.index < from);
    if (kept.length !== this.configs.length) this.configVersion++;
    this.configs = kept;
    this.lastSeqValue = this.seqAtOrBefore(raftIndex(from - 1n));
  }

  private seqAtOrBefore(index: RaftIndex): Seq {
    for (let i = Number(index - this.offset); i >= 0; i--) {
      const p = (this.tail[i] as LogRecord).payload;
      if (p.kind === "entry") return p.entry.seq;
    }
    return this.storage.lastSeqAtOrBefore(index < this.offset ? index : raftIndex(this.offset - 1n));
  }

  private noteAppended(r: LogRecord): void {
    if (r.payload.kind === "entry") {
      this.lastSeqValue = r.payload.entry.seq;
      this.tailIds.set(r.payload.entry.id, { index: r.index, seq: r.payload.entry.seq });
    } else if (r.payload.kind === "config") {
      this.configs.push({ index: r.index, change: r.payload.change });
      this.configVersion++;
    }
  }

  /** The seq of the last data entry in the log (DESIGN §3: the next one is this + 1). */
  lastSeq(): Seq {
    return this.lastSeqValue;
  }

  /** Where the entry with this id sits in the log, committed or not (DESIGN §3). */
  findEntry(id: string): EntryAt | undefined {
    const inTail = this.tailIds.get(id);
    if (inTail !== undefined) return inTail;
    const stable = this.storage.findEntry(id);
    return stable !== undefined && stable.index < this.offset ? stable : undefined;
  }

  /** Every membership record in the log, in index order (config applies when appended, §4.1). */
  configChanges(): readonly ConfigAt[] {
    return this.configs;
  }

  /**
   * The largest index at or below `index` whose term is at most `t`: where a
   * conflicting term ends, so one round trip skips a whole term (§3.5 optimisation).
   */
  findConflictByTerm(index: RaftIndex, t: Term): RaftIndex {
    let i = index > this.lastIndex() ? this.lastIndex() : index;
    for (; i > 0n; i = raftIndex(i - 1n)) {
      const ti = this.term(i);
      if (ti !== undefined && ti <= t) break;
    }
    return i;
  }

  /** Whether records still wait to be handed to the runtime. */
  hasUnstable(): boolean {
    return this.tail.length > 0 || this.truncateFrom !== undefined;
  }

  /** The unstable tail, for a Ready. */
  unstable(): UnstableWrite {
    return { truncateFrom: this.truncateFrom, records: [...this.tail] };
  }

  /** Marks the whole tail durable (the runtime persisted the Ready). */
  stableAll(): void {
    this.offset = raftIndex(this.lastIndex() + 1n);
    this.tail = [];
    this.tailIds.clear();
    this.truncateFrom = undefined;
  }

  /** Advances the commit index; it never goes back (§3.6). */
  commitTo(index: RaftIndex): boolean {
    const capped = index > this.lastIndex() ? this.lastIndex() : index;
    if (capped <= this.committed) return false;
    this.committed = capped;
    return true;
  }

  /** Committed records not yet handed out for applying, at most `maxCount`. */
  toApply(maxCount: number): LogRecord[] {
    if (this.applied >= this.committed) return [];
    const n = Number(this.committed - this.applied);
    return this.slice(raftIndex(this.applied + 1n), Math.min(n, maxCount), Number.MAX_SAFE_INTEGER);
  }

  /** Records that committed records up to `index` were handed to the runtime. */
  appliedTo(index: RaftIndex): void {
    if (index > this.applied) this.applied = index;
  }
}

