/**
 * The Raft core's `LogStorage` (raft/storage.ts) over the node's on-disk
 * `LogStore` (DESIGN §4). The core is synchronous, so reads use the store's
 * blocking path (`readRecordsSync`, `lookupIdSync`): the index is in memory and
 * only the bytes of the records asked for are read from disk. The membership
 * records (`config`) are few, so they are kept in memory: collected by the
 * start-up scan and kept current by the runtime through `noteAppended` and
 * `noteTruncated`.
 */
import assert from "node:assert/strict";
import { recordBytes, type ConfigAt, type EntryAt, type LogStorage } from "../raft/storage.js";
import type { LogRecord, RaftIndex, Seq, Term } from "../raft/types.js";
import { LogStore, type LogStoreOptions } from "../storage/index.js";

/** `LogStorage` backed by a `LogStore`; sees durable records only. */
export class StoreLogStorage implements LogStorage {
  /** Replaced, never mutated, so an array handed out by `configChanges` stays as it was. */
  private configs: readonly ConfigAt[];
  /** Highest index whose record `configs` accounts for. */
  private notedThrough: bigint;

  /**
   * Wraps `store`, whose `config` records are `recoveredConfigs` (in index
   * order; normally collected by {@link openStoreLogStorage}). Asserts they
   * are ordered and inside the log.
   */
  constructor(
    private readonly store: LogStore,
    recoveredConfigs: readonly ConfigAt[],
  ) {
    recoveredConfigs.forEach((c, i) => {
      assert(c.index <= store.lastIndex, `config record ${c.index} is past the end of the log (${store.lastIndex})`);
      assert(i === 0 || c.index > recoveredConfigs[i - 1]!.index, "config records out of index order");
    });
    this.configs = [...recoveredConfigs];
    this.notedThrough = store.lastIndex;
  }

  lastIndex(): RaftIndex {
    return this.store.lastIndex;
  }

  term(index: RaftIndex): Term | undefined {
    return this.store.termAt(index);
  }

  /**
   * Reads at most `maxBytes` of encoded lines from disk, then also stops
   * before the core's own measure (`recordBytes`) would pass `maxBytes`, so the
   * core's batching limit holds in its units. At least one record when `from`
   * is in the log; empty past the end.
   */
  records(from: RaftIndex, maxCount: number, maxBytes: number): readonly LogRecord[] {
    const read = this.store.readRecordsSync(from, maxCount, maxBytes);
    let bytes = 0;
    for (let i = 0; i < read.length; i++) {
      bytes += recordBytes(read[i]!);
      if (i > 0 && bytes > maxBytes) return read.slice(0, i);
    }
    return read;
  }

  findEntry(id: string): EntryAt | undefined {
    return this.store.lookupIdSync(id);
  }

  lastSeqAtOrBefore(index: RaftIndex): Seq {
    return this.store.lastSeqAtOrBefore(index);
  }

  configChanges(): readonly ConfigAt[] {
    return this.configs;
  }

  /**
   * Tells the storage that `records` are now durable in the store. The runtime
   * calls this after every successful `LogStore.append`, with every record of
   * it, in append order. Asserts each record follows the last one noted and
   * is durable: a record that is skipped could hide a membership change.
   */
  noteAppended(records: readonly LogRecord[]): void {
    let expected = this.notedThrough + 1n;
    for (const r of records) {
      assert(r.index === expected, `noteAppended: record ${r.index} does not follow ${expected - 1n}`);
      assert(r.index <= this.store.lastIndex, `noteAppended: record ${r.index} is not durable yet (last ${this.store.lastIndex})`);
      expected++;
    }
    const added: ConfigAt[] = [];
    for (const r of records) if (r.payload.kind === "config") added.push({ index: r.index, change: r.payload.change });
    if (added.length > 0) this.configs = [...this.configs, ...added];
    this.notedThrough = expected - 1n;
  }

  /**
   * Tells the storage that every record at or after `fromIndex` was removed
   * (after `LogStore.truncateAfter(fromIndex - 1)` resolved; thesis §3.5).
   * Drops the config records there. Asserts the store no longer holds them.
   */
  noteTruncated(fromIndex: RaftIndex): void {
    assert(fromIndex >= 1n, `noteTruncated: index ${fromIndex} is below 1`);
    assert(this.store.lastIndex < fromIndex, `noteTruncated(${fromIndex}): the store still ends at ${this.store.lastIndex}`);
    this.configs = this.configs.filter((c) => c.index < fromIndex);
    if (this.notedThrough >= fromIndex) this.notedThrough = fromIndex - 1n;
  }
}

/** What {@link openStoreLogStorage} opened. */
export interface OpenedStoreLogStorage {
  /** The store: the runtime appends, truncates and closes through it. */
  readonly store: LogStore;
  /** The core's view of the same log. */
  readonly storage: StoreLogStorage;
}

/**
 * Opens the log store in `dataDir` (see `LogStore.open`; same options and
 * errors) and wraps it in a {@link StoreLogStorage}, collecting the `config`
 * records from the start-up scan. `options.onRecoveredRecord`, when given,
 * still sees every recovered record in log order (the node rebuilds its token
 * table from the same scan).
 */
export async function openStoreLogStorage(dataDir: string, options: LogStoreOptions = {}): Promise<OpenedStoreLogStorage> {
  const configs: ConfigAt[] = [];
  const forward = options.onRecoveredRecord;
  const store = await LogStore.open(dataDir, {
    ...options,
    onRecoveredRecord: (record) => {
      if (record.payload.kind === "config") configs.push({ index: record.index, change: record.payload.change });
      forward?.(record);
    },
  });
  return { store, storage: new StoreLogStorage(store, configs) };
}
