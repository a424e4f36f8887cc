import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { raftIndex, seq, term } from "../raft/types.js";
import { LogStore } from "./log-store.js";
import { RecordBuilder, TempDirs, warnings } from "./test-fixtures.js";

const dirs = new TempDirs();
afterEach(() => dirs.cleanup());

async function openFresh(options: Parameters<typeof LogStore.open>[1] = {}): Promise<{ dir: string; store: LogStore }> {
  const dir = await dirs.make();
  return { dir, store: await LogStore.open(dir, { log: warnings(), ...options }) };
}

describe("LogStore round trip", () => {
  it("reads back what was appended, before and after reopening, across segments", async () => {
    const { dir, store } = await openFresh({ segmentBytesMax: 2048 });
    const b = new RecordBuilder();
    const records = [b.noop(), ...b.entries(30), b.setTerm(2n).noop(), ...b.entries(20)];
    await store.append(records.slice(0, 10));
    await store.append(records.slice(10));
    expect(await store.readRecords(raftIndex(1), 1000, 1 << 20)).toEqual(records);
    await store.close();
    expect((await readdir(join(dir, "log"))).length).toBeGreaterThan(3);

    const reopened = await LogStore.open(dir, { log: warnings(), segmentBytesMax: 2048 });
    expect(reopened.lastIndex).toBe(52n);
    expect(reopened.lastTerm).toBe(2n);
    expect(reopened.lastSeq).toBe(50n);
    expect(reopened.termAt(raftIndex(31))).toBe(1n);
    expect(reopened.termAt(raftIndex(32))).toBe(2n);
    expect(reopened.termAt(raftIndex(53))).toBeUndefined();
    expect(reopened.indexOfSeq(seq(31))).toBe(33n);
    expect(await reopened.readRecords(raftIndex(1), 1000, 1 << 20)).toEqual(records);
    await reopened.close();
  });

  it("bounds readRecords by count and bytes but always returns one record", async () => {
    const { store } = await openFresh({ segmentBytesMax: 1000 });
    const b = new RecordBuilder();
    await store.append(b.entries(20));
    expect((await store.readRecords(raftIndex(5), 3, 1 << 20)).map((r) => r.index)).toEqual([5n, 6n, 7n]);
    expect((await store.readRecords(raftIndex(5), 100, 1)).map((r) => r.index)).toEqual([5n]);
    const some = await store.readRecords(raftIndex(1), 100, 1000);
    expect(some.length).toBeGreaterThan(1);
    expect(some.length).toBeLessThan(20);
    expect(await store.readRecords(raftIndex(21), 10, 1000)).toEqual([]);
    await store.close();
  });

  it("rejects non-contiguous appends with an assertion", async () => {
    const { store } = await openFresh();
    const b = new RecordBuilder();
    await store.append(b.entries(2));
    const gap = new RecordBuilder().resume(3n, 2n).entry();
    expect(() => store.append([gap])).toThrow(/lastIndex \+ 1/);
    const badSeq = new RecordBuilder().resume(2n, 5n).entry();
    expect(() => store.append([badSeq])).toThrow(/lastSeq \+ 1/);
    const lowerTerm = new RecordBuilder(0n).resume(2n, 2n).noop();
    expect(() => store.append([lowerTerm])).toThrow(/below the last term/);
    await store.close();
  });
});

describe("group commit", () => {
  it("coalesces concurrent appends into fewer fsyncs, in call order, all durable", async () => {
    const latencies: number[] = [];
    const { dir, store } = await openFresh({ onFsync: (ms) => latencies.push(ms) });
    const b = new RecordBuilder();
    const calls = Array.from({ length: 200 }, () => [b.entry(), b.entry()]);
    await Promise.all(calls.map((records) => store.append(records)));
    const stats = store.stats();
    expect(stats.appends).toBe(200);
    expect(stats.records).toBe(400);
    expect(stats.fsyncs).toBeLessThan(200);
    expect(latencies.length).toBe(stats.fsyncs);
    await store.close();
    const reopened = await LogStore.open(dir, { log: warnings() });
    const read = await reopened.readRecords(raftIndex(1), 1000, 1 << 24);
    expect(read).toEqual(calls.flat());
    await reopened.close();
  });

  it("serves reads correctly while appends are in flight", async () => {
    const { store } = await openFresh({ segmentBytesMax: 4096 });
    const b = new RecordBuilder();
    await store.append(b.entries(10));
    const writes = Array.from({ length: 50 }, () => store.append(b.entries(3)));
    const reads = Array.from({ length: 50 }, async () => {
      const last = store.lastIndex;
      const records = await store.readRecords(raftIndex(1), 1000, 1 << 24);
      expect(records.length).toBeGreaterThanOrEqual(Number(last));
      records.forEach((r, i) => expect(r.index).toBe(BigInt(i + 1)));
    });
    await Promise.all([...writes, ...reads]);
    expect(store.lastIndex).toBe(160n);
    await store.close();
  });
});

describe("lookupId", () => {
  it("finds entries by id over the whole log, including appends in flight", async () => {
    const { dir, store } = await openFresh({ segmentBytesMax: 1500 });
    const b = new RecordBuilder();
    await store.append([b.noop(), ...b.entries(40)]);
    expect(await store.lookupId("id-17")).toEqual({ seq: 17n, index: 18n });
    expect(await store.lookupId("nope")).toBeUndefined();
    const pending = store.append([b.entry({ id: "in-flight" })]);
    expect(await store.lookupId("in-flight")).toEqual({ seq: 41n, index: 42n });
    await pending;
    await store.close();
    const reopened = await LogStore.open(dir, { log: warnings() });
    expect(await reopened.lookupId("in-flight")).toEqual({ seq: 41n, index: 42n });
    expect(await reopened.lookupId("id-1")).toEqual({ seq: 1n, index: 2n });
    await reopened.close();
  });

  it("confirms hash hits on disk, so collisions never give false duplicates", async () => {
    const { store } = await openFresh({ hashId: () => 42 });
    const b = new RecordBuilder();
    await store.append(b.entries(50));
    expect(await store.lookupId("id-33")).toEqual({ seq: 33n, index: 33n });
    expect(await store.lookupId("id-1")).toEqual({ seq: 1n, index: 1n });
    expect(await store.lookupId("never-written")).toBeUndefined();
    await store.close();
  });

  it("forgets truncated ids", async () => {
    const { store } = await openFresh({ hashId: (id) => id.length });
    const b = new RecordBuilder();
    await store.append(b.entries(20));
    await store.truncateAfter(raftIndex(10), raftIndex(5));
    expect(await store.lookupId("id-15")).toBeUndefined();
    expect(await store.lookupId("id-10")).toEqual({ seq: 10n, index: 10n });
    await store.append([new RecordBuilder().resume(10n, 10n).entry({ id: "id-15" })]);
    expect(await store.lookupId("id-15")).toEqual({ seq: 11n, index: 11n });
    await store.close();
  });
});

describe("readEntries", () => {
  async function mixedLog(): Promise<LogStore> {
    const { store } = await openFresh({ segmentBytesMax: 2000 });
    const b = new RecordBuilder();
    const records = [b.noop()];
    for (let i = 1; i <= 30; i++) {
      records.push(b.entry({ type: i % 3 === 0 ? "task" : "decision", origin: i % 2 === 0 ? "bob" : "alice" }));
      if (i % 10 === 0) records.push(b.noop());
    }
    await store.append(records);
    return store;
  }

  it("returns entries after the cursor up to the caller's maximum, in seq order", async () => {
    const store = await mixedLog();
    const page = await store.readEntries(seq(5), { limit: 100, throughSeqMax: seq(12) });
    expect(page.entries.map((e) => e.seq)).toEqual([6n, 7n, 8n, 9n, 10n, 11n, 12n]);
    expect(page.throughSeq).toBe(12n);
    const limited = await store.readEntries(seq(0), { limit: 4, throughSeqMax: seq(30) });
    expect(limited.entries.map((e) => e.seq)).toEqual([1n, 2n, 3n, 4n]);
    expect(limited.throughSeq).toBe(4n);
    const beyond = await store.readEntries(seq(25), { limit: 100, throughSeqMax: seq(99) });
    expect(beyond.throughSeq).toBe(30n);
    const none = await store.readEntries(seq(30), { limit: 100, throughSeqMax: seq(30) });
    expect(none).toEqual({ entries: [], throughSeq: 30n });
    await store.close();
  });

  it("filters by type and origin and still advances throughSeq", async () => {
    const store = await mixedLog();
    const tasks = await store.readEntries(seq(0), { limit: 3, throughSeqMax: seq(30), filter: { types: ["task"] } });
    expect(tasks.entries.map((e) => e.seq)).toEqual([3n, 6n, 9n]);
    expect(tasks.throughSeq).toBe(9n);
    const bobTasks = await store.readEntries(seq(9), { limit: 100, throughSeqMax: seq(20), filter: { types: ["task"], origins: ["bob"] } });
    expect(bobTasks.entries.map((e) => e.seq)).toEqual([12n, 18n]);
    expect(bobTasks.throughSeq).toBe(20n);
    const nothing = await store.readEntries(seq(0), { limit: 10, throughSeqMax: seq(30), filter: { types: ["learning"] } });
    expect(nothing).toEqual({ entries: [], throughSeq: 30n });
    await store.close();
  });

  it("bounds the entries examined per call", async () => {
    const dir = await dirs.make();
    const store = await LogStore.open(dir, { log: warnings(), scanEntriesMax: 7 });
    await store.append(new RecordBuilder().entries(30));
    const page = await store.readEntries(seq(0), { limit: 100, throughSeqMax: seq(30), filter: { types: ["none"] } });
    expect(page).toEqual({ entries: [], throughSeq: 7n });
    await store.close();
  });
});

describe("truncateAfter", () => {
  it("drops later records and segments durably and accepts new ones", async () => {
    const { dir, store } = await openFresh({ segmentBytesMax: 1500 });
    const b = new RecordBuilder();
    await store.append([b.noop(), ...b.entries(39), b.setTerm(2n).noop(), ...b.entries(10)]);
    const segmentsBefore = (await readdir(join(dir, "log"))).length;
    await store.truncateAfter(raftIndex(25), raftIndex(20));
    expect(store.lastIndex).toBe(25n);
    expect(store.lastSeq).toBe(24n);
    expect(store.lastTerm).toBe(1n);
    expect((await readdir(join(dir, "log"))).length).toBeLessThan(segmentsBefore);
    const next = new RecordBuilder(3n).resume(25n, 24n);
    const fresh = [next.noop(), ...next.entries(5)];
    await store.append(fresh);
    expect(store.termAt(raftIndex(26))).toBe(3n);
    await store.close();
    const reopened = await LogStore.open(dir, { log: warnings(), segmentBytesMax: 1500 });
    expect(reopened.lastIndex).toBe(31n);
    expect(reopened.lastSeq).toBe(29n);
    expect(await reopened.readRecords(raftIndex(26), 100, 1 << 20)).toEqual(fresh);
    const page = await reopened.readEntries(seq(20), { limit: 100, throughSeqMax: seq(29) });
    expect(page.entries.map((e) => e.term)).toEqual([1n, 1n, 1n, 1n, 3n, 3n, 3n, 3n, 3n]);
    await reopened.close();
  });

  it("truncates at a segment boundary and to an empty log", async () => {
    const { dir, store } = await openFresh({ segmentBytesMax: 1000 });
    await store.append(new RecordBuilder().entries(30));
    const second = (await readdir(join(dir, "log"))).sort()[1]!;
    const boundary = BigInt(second.slice(0, 20)) - 1n;
    await store.truncateAfter(raftIndex(boundary), raftIndex(0));
    expect(store.lastIndex).toBe(boundary);
    expect((await readdir(join(dir, "log"))).length).toBe(1);
    await store.truncateAfter(raftIndex(0), raftIndex(0));
    expect(store.lastIndex).toBe(0n);
    expect(store.lastSeq).toBe(0n);
    await store.append(new RecordBuilder(term(4)).entries(3));
    expect(store.lastIndex).toBe(3n);
    await store.close();
    const reopened = await LogStore.open(dir, { log: warnings() });
    expect(reopened.lastIndex).toBe(3n);
    expect(reopened.lastTerm).toBe(4n);
    await reopened.close();
  });

  it("refuses to truncate below the committed index", async () => {
    const { store } = await openFresh();
    await store.append(new RecordBuilder().entries(10));
    await expect(store.truncateAfter(raftIndex(4), raftIndex(5))).rejects.toThrow(/below the committed index/);
    expect(store.lastIndex).toBe(10n);
    await store.close();
  });
});
