import { afterEach, describe, expect, it } from "vitest";
import { MemoryStorage } from "../raft/memory-storage.js";
import { recordBytes, type LogStorage } from "../raft/storage.js";
import { raftIndex, term, type ConfigChange, type LogRecord } from "../raft/types.js";
import { encodeRecordLine } from "../storage/record-codec.js";
import { RecordBuilder, TempDirs, warnings } from "../storage/test-fixtures.js";
import { openStoreLogStorage } from "./store-log-storage.js";

const dirs = new TempDirs();
afterEach(() => dirs.cleanup());

/** Builds a log of entries, noops and config records with contiguous indexes. */
class MixedLog {
  private readonly b = new RecordBuilder();
  private last = 0n;
  private lastSeq = 0n;
  private termValue = 1n;

  config(change: ConfigChange): LogRecord {
    this.last++;
    return { index: raftIndex(this.last), term: term(this.termValue), payload: { kind: "config", change } };
  }

  noop(): LogRecord {
    return this.track(this.b.resume(this.last, this.lastSeq, this.termValue).noop());
  }

  entries(n: number): LogRecord[] {
    this.b.resume(this.last, this.lastSeq, this.termValue);
    return Array.from({ length: n }, () => this.track(this.b.entry()));
  }

  setTerm(t: bigint): this {
    this.termValue = t;
    return this;
  }

  private track(r: LogRecord): LogRecord {
    this.last = r.index;
    if (r.payload.kind === "entry") this.lastSeq = r.payload.entry.seq;
    return r;
  }
}

function sampleLog(): LogRecord[] {
  const log = new MixedLog();
  return [
    log.config({ kind: "addLearner", nodeId: "n1", peerUrl: "http://127.0.0.1:7001" }),
    log.config({ kind: "promote", nodeId: "n1" }),
    log.noop(),
    ...log.entries(12),
    log.config({ kind: "addLearner", nodeId: "n2", peerUrl: "http://127.0.0.1:7002" }),
    ...log.entries(5),
    log.setTerm(3n).noop(),
    log.config({ kind: "promote", nodeId: "n2" }),
    ...log.entries(8),
  ];
}

/** Asserts two storages answer every question alike (records with an unbounded byte limit). */
function expectSameAnswers(actual: LogStorage, expected: LogStorage): void {
  const last = Number(expected.lastIndex());
  expect(actual.lastIndex()).toBe(expected.lastIndex());
  expect(actual.configChanges()).toEqual(expected.configChanges());
  for (let i = 0; i <= last + 2; i++) {
    expect(actual.term(raftIndex(i)), `term(${i})`).toBe(expected.term(raftIndex(i)));
    expect(actual.lastSeqAtOrBefore(raftIndex(i)), `lastSeqAtOrBefore(${i})`).toBe(expected.lastSeqAtOrBefore(raftIndex(i)));
    if (i >= 1) expect(actual.records(raftIndex(i), 4, 1 << 20)).toEqual(expected.records(raftIndex(i), 4, 1 << 20));
  }
  for (let s = 0; s <= last + 1; s++) expect(actual.findEntry(`id-${s}`), `id-${s}`).toEqual(expected.findEntry(`id-${s}`));
}

describe("StoreLogStorage", () => {
  it("answers like MemoryStorage for the same log, before and after reopening", async () => {
    const dir = await dirs.make();
    const records = sampleLog();
    const { store, storage } = await openStoreLogStorage(dir, { log: warnings(), segmentBytesMax: 1200 });
    expect(storage.lastIndex()).toBe(0n);
    expect(storage.term(raftIndex(0))).toBe(0n);
    expect(storage.records(raftIndex(1), 10, 1 << 20)).toEqual([]);
    await store.append(records.slice(0, 10));
    storage.noteAppended(records.slice(0, 10));
    await store.append(records.slice(10));
    storage.noteAppended(records.slice(10));
    const memory = new MemoryStorage(records);
    expectSameAnswers(storage, memory);
    await store.close();

    const seen: LogRecord[] = [];
    const reopened = await openStoreLogStorage(dir, { log: warnings(), onRecoveredRecord: (r) => seen.push(r) });
    expect(seen).toEqual(records);
    expectSameAnswers(reopened.storage, memory);
    await reopened.store.close();
  });

  it("keeps every batch within maxBytes as the core measures it, returning at least one record", async () => {
    const { store, storage } = await openStoreLogStorage(await dirs.make(), { log: warnings() });
    const records = sampleLog();
    await store.append(records);
    storage.noteAppended(records);
    for (const maxBytes of [0, 100, 200, 500, 1000, 5000]) {
      for (let from = 1; from <= records.length; from++) {
        const batch = storage.records(raftIndex(from), 1000, maxBytes);
        expect(batch.length).toBeGreaterThanOrEqual(1);
        expect(batch).toEqual(records.slice(from - 1, from - 1 + batch.length));
        if (batch.length > 1) expect(batch.reduce((sum, r) => sum + recordBytes(r), 0)).toBeLessThanOrEqual(maxBytes);
      }
    }
    await store.close();
  });

  it("trims a batch that fits on disk but not in the core's measure", async () => {
    const { store, storage } = await openStoreLogStorage(await dirs.make(), { log: warnings() });
    const b = new RecordBuilder();
    const noops = Array.from({ length: 6 }, () => b.noop());
    await store.append(noops);
    const twoLines = 2 * encodeRecordLine(noops[0]!).length;
    expect(twoLines).toBeLessThan(2 * recordBytes(noops[0]!)); // a noop line is shorter than the core's estimate
    expect(store.readRecordsSync(raftIndex(1), 10, twoLines)).toHaveLength(2);
    expect(storage.records(raftIndex(1), 10, twoLines)).toEqual(noops.slice(0, 1));
    expect(storage.records(raftIndex(1), 10, 2 * recordBytes(noops[0]!))).toEqual(noops.slice(0, 2));
    await store.close();
  });

  it("tracks config records across truncation and re-append, matching what a restart recovers", async () => {
    const dir = await dirs.make();
    const { store, storage } = await openStoreLogStorage(dir, { log: warnings(), segmentBytesMax: 1200 });
    const records = sampleLog();
    await store.append(records);
    storage.noteAppended(records);
    const before = storage.configChanges();
    expect(before.map((c) => c.index)).toEqual([1n, 2n, 16n, 23n]);

    await store.truncateAfter(raftIndex(15), raftIndex(3));
    storage.noteTruncated(raftIndex(16));
    expect(storage.configChanges().map((c) => c.index)).toEqual([1n, 2n]);
    expect(before.map((c) => c.index)).toEqual([1n, 2n, 16n, 23n]); // a snapshot handed out earlier is unchanged
    const fresh: LogRecord[] = [
      { index: raftIndex(16), term: term(4), payload: { kind: "config", change: { kind: "remove", nodeId: "n1" } } },
      new RecordBuilder(4n).resume(16n, 12n).entry(),
    ];
    await store.append(fresh);
    storage.noteAppended(fresh);
    expect(storage.configChanges()).toEqual([...before.slice(0, 2), { index: 16n, change: { kind: "remove", nodeId: "n1" } }]);
    const maintained = storage.configChanges();
    await store.close();

    const reopened = await openStoreLogStorage(dir, { log: warnings() });
    expect(reopened.storage.configChanges()).toEqual(maintained);
    expect(reopened.storage.lastSeqAtOrBefore(raftIndex(17))).toBe(13n);
    expect(reopened.storage.findEntry("id-13")).toEqual({ index: 17n, seq: 13n });
    await reopened.store.close();
  });

  it("refuses records that are not durable or skip ahead, and truncations the store has not made", async () => {
    const { store, storage } = await openStoreLogStorage(await dirs.make(), { log: warnings() });
    const records = sampleLog();
    await store.append(records.slice(0, 5));
    expect(() => storage.noteAppended(records.slice(0, 6))).toThrow(/not durable/);
    storage.noteAppended(records.slice(0, 5));
    expect(() => storage.noteAppended(records.slice(0, 1))).toThrow(/does not follow/);
    await store.append(records.slice(5, 8));
    expect(() => storage.noteAppended(records.slice(6, 8))).toThrow(/does not follow/);
    expect(() => storage.noteTruncated(raftIndex(3))).toThrow(/still ends at/);
    await store.close();
  });

  it("never shows a record whose append is still in flight", async () => {
    const { store, storage } = await openStoreLogStorage(await dirs.make(), { log: warnings() });
    const records = sampleLog();
    await store.append(records.slice(0, 5));
    const pending = store.append(records.slice(5, 7));
    expect(storage.lastIndex()).toBe(5n);
    expect(storage.term(raftIndex(6))).toBeUndefined();
    expect(storage.records(raftIndex(5), 10, 1 << 20).map((r) => r.index)).toEqual([5n]);
    expect(storage.findEntry("id-3")).toBeUndefined();
    await pending;
    expect(storage.findEntry("id-3")).toEqual({ index: 6n, seq: 3n });
    await store.close();
  });
});
