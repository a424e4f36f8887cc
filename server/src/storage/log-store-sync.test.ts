import { readdir, truncate } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { raftIndex, type LogRecord } from "../raft/types.js";
import { CorruptLogError } from "./errors.js";
import { LogStore, type LogStoreOptions } from "./log-store.js";
import { nodeStorageFs, type StorageFs } from "./storage-fs.js";
import { RecordBuilder, TempDirs, warnings } from "./test-fixtures.js";

const dirs = new TempDirs();
afterEach(() => dirs.cleanup());

async function openIn(dir: string, options: LogStoreOptions = {}): Promise<LogStore> {
  return LogStore.open(dir, { log: warnings(), ...options });
}

/** Noops every 7th record, entries otherwise, with a term change halfway. */
function mixedRecords(n: number): LogRecord[] {
  const b = new RecordBuilder();
  return Array.from({ length: n }, (_, i) => {
    if (i === n >> 1) b.setTerm(2n);
    return i % 7 === 0 ? b.noop() : b.entry();
  });
}

/** Checks that blocking and awaited reads agree for every start and a spread of bounds. */
async function expectSameReads(store: LogStore): Promise<void> {
  const last = Number(store.lastIndex);
  for (let from = 1; from <= last + 1; from++) {
    for (const [maxCount, maxBytes] of [[1, 0], [3, 1 << 20], [1000, 700], [1000, 1 << 20]] as const) {
      const sync = store.readRecordsSync(raftIndex(from), maxCount, maxBytes);
      expect(sync).toEqual(await store.readRecords(raftIndex(from), maxCount, maxBytes));
    }
  }
}

/** Seq of the last entry at or before each index, the slow way. */
function lastSeqs(records: readonly LogRecord[]): bigint[] {
  const out = [0n];
  for (const r of records) out.push(r.payload.kind === "entry" ? r.payload.entry.seq : out.at(-1)!);
  return out;
}

/** The real file system, counting blocking handles and failing blocking reads on demand. */
function countingFs(): { fs: StorageFs; open: () => number; failReads: (n: number) => void } {
  let open = 0;
  let failing = 0;
  const fs: StorageFs = {
    ...nodeStorageFs,
    openReadSync(path) {
      const file = nodeStorageFs.openReadSync!(path);
      open++;
      return {
        readSync(buffer, offset, length, position) {
          if (failing > 0) {
            failing--;
            throw Object.assign(new Error("EIO: injected"), { code: "EIO" });
          }
          return file.readSync(buffer, offset, length, position);
        },
        closeSync() {
          open--;
          file.closeSync();
        },
      };
    },
  };
  return { fs, open: () => open, failReads: (n) => (failing = n) };
}

describe("readRecordsSync", () => {
  it("returns what readRecords returns, across segments and after reopening", async () => {
    const dir = await dirs.make();
    const store = await openIn(dir, { segmentBytesMax: 1500 });
    const records = mixedRecords(60);
    await store.append(records.slice(0, 25));
    await store.append(records.slice(25));
    expect(store.readRecordsSync(raftIndex(1), 1000, 1 << 20)).toEqual(records);
    await expectSameReads(store);
    await store.close();

    const reopened = await openIn(dir, { segmentBytesMax: 1500 });
    expect(reopened.readRecordsSync(raftIndex(1), 1000, 1 << 20)).toEqual(records);
    await expectSameReads(reopened);
    expect(reopened.readRecordsSync(raftIndex(61), 10, 1 << 20)).toEqual([]);
    expect(() => reopened.readRecordsSync(raftIndex(0), 10, 1 << 20)).toThrow(/before the first index/);
    await reopened.close();
  });

  it("never returns records whose append is still in flight", async () => {
    const store = await openIn(await dirs.make());
    const b = new RecordBuilder();
    await store.append(b.entries(5));
    const pending = store.append([b.entry({ id: "in-flight" })]);
    expect(store.readRecordsSync(raftIndex(1), 100, 1 << 20).map((r) => r.index)).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(store.readRecordsSync(raftIndex(6), 100, 1 << 20)).toEqual([]);
    expect(store.lookupIdSync("in-flight")).toBeUndefined();
    expect(await store.lookupId("in-flight")).toEqual({ seq: 6n, index: 6n });
    await pending;
    expect(store.readRecordsSync(raftIndex(6), 100, 1 << 20).map((r) => r.index)).toEqual([6n]);
    expect(store.lookupIdSync("in-flight")).toEqual({ seq: 6n, index: 6n });
    await store.close();
  });

  it("reads the new segment, not the deleted one, when truncation frees its name", async () => {
    const dir = await dirs.make();
    const store = await openIn(dir, { segmentBytesMax: 1000 });
    await store.append(new RecordBuilder().entries(30));
    expect(store.readRecordsSync(raftIndex(1), 1000, 1 << 20)).toHaveLength(30); // caches a handle per segment
    const second = (await readdir(join(dir, "log"))).sort()[1]!;
    const boundary = BigInt(second.slice(0, 20)) - 1n;
    await store.truncateAfter(raftIndex(boundary), raftIndex(0));
    const next = new RecordBuilder(3n).resume(boundary, boundary);
    const fresh = Array.from({ length: 5 }, () => next.entry({ origin: "bobby" }));
    await store.append(fresh);
    expect((await readdir(join(dir, "log"))).sort()[1]).toBe(second); // same name, new file
    expect(store.readRecordsSync(raftIndex(boundary + 1n), 100, 1 << 20)).toEqual(fresh);
    expect(store.lookupIdSync(`id-${boundary + 1n}`)).toEqual({ seq: boundary + 1n, index: boundary + 1n });
    await expectSameReads(store);
    await store.close();
  });

  it("agrees with readRecords after a truncation inside a segment and after reopening", async () => {
    const dir = await dirs.make();
    const store = await openIn(dir, { segmentBytesMax: 1500 });
    const records = mixedRecords(50);
    await store.append(records);
    store.readRecordsSync(raftIndex(1), 1000, 1 << 20);
    await store.truncateAfter(raftIndex(33), raftIndex(10));
    const next = new RecordBuilder(5n).resume(33n, store.lastSeq);
    const fresh = [next.noop(), ...next.entries(8)];
    await store.append(fresh);
    const expected = [...records.slice(0, 33), ...fresh];
    expect(store.readRecordsSync(raftIndex(1), 1000, 1 << 20)).toEqual(expected);
    await expectSameReads(store);
    await store.close();
    const reopened = await openIn(dir, { segmentBytesMax: 1500 });
    expect(reopened.readRecordsSync(raftIndex(1), 1000, 1 << 20)).toEqual(expected);
    await reopened.close();
  });

  it("keeps at most readFilesMax blocking handles, drops a handle whose read failed, closes all on close", async () => {
    const counting = countingFs();
    const store = await openIn(await dirs.make(), { fs: counting.fs, segmentBytesMax: 600, readFilesMax: 2 });
    await store.append(new RecordBuilder().entries(40));
    expect(store.readRecordsSync(raftIndex(1), 1000, 1 << 20)).toHaveLength(40);
    expect(counting.open()).toBe(2);
    counting.failReads(1);
    expect(() => store.readRecordsSync(raftIndex(40), 1, 0)).toThrow(/EIO/);
    expect(counting.open()).toBe(1);
    expect(store.readRecordsSync(raftIndex(40), 1, 0).map((r) => r.index)).toEqual([40n]);
    await store.close();
    expect(counting.open()).toBe(0);
    expect(() => store.readRecordsSync(raftIndex(1), 1, 0)).toThrow(/closed log store/);
  });

  it("reports a segment shorter than its index as corrupt", async () => {
    const dir = await dirs.make();
    const store = await openIn(dir);
    await store.append(new RecordBuilder().entries(10));
    const [name] = await readdir(join(dir, "log"));
    await truncate(join(dir, "log", name!), 100);
    expect(() => store.readRecordsSync(raftIndex(5), 1, 0)).toThrow(CorruptLogError);
    await store.close();
  });

  it("throws a clear error when the file system has no blocking reads", async () => {
    const { openReadSync: _, ...asyncOnly } = nodeStorageFs;
    const store = await openIn(await dirs.make(), { fs: asyncOnly });
    await store.append(new RecordBuilder().entries(3));
    expect(() => store.readRecordsSync(raftIndex(1), 1, 0)).toThrow(/no openReadSync/);
    expect(await store.readRecords(raftIndex(1), 1, 0)).toHaveLength(1);
    await store.close();
  });
});

describe("lookupIdSync", () => {
  it("finds what lookupId finds, confirming hash collisions on disk", async () => {
    const dir = await dirs.make();
    const store = await openIn(dir, { hashId: (id) => id.length, segmentBytesMax: 1500 });
    const records = mixedRecords(40);
    await store.append(records);
    for (const id of ["id-1", "id-17", "id-34", "id-35", "nope", "id-999"]) {
      expect(store.lookupIdSync(id)).toEqual(await store.lookupId(id));
    }
    expect(store.lookupIdSync("id-17")).toEqual({ seq: 17n, index: 20n });
    expect(store.lookupIdSync("id-35")).toBeUndefined(); // 34 entries among 40 records
    await store.close();
    const reopened = await openIn(dir, { hashId: () => 7 });
    expect(reopened.lookupIdSync("id-17")).toEqual({ seq: 17n, index: 20n });
    expect(reopened.lookupIdSync("id-0")).toBeUndefined();
    await reopened.close();
  });

  it("forgets truncated ids and finds re-appended ones", async () => {
    const store = await openIn(await dirs.make(), { hashId: (id) => id.length });
    await store.append(new RecordBuilder().entries(20));
    await store.truncateAfter(raftIndex(10), raftIndex(5));
    expect(store.lookupIdSync("id-15")).toBeUndefined();
    expect(store.lookupIdSync("id-10")).toEqual({ seq: 10n, index: 10n });
    await store.append([new RecordBuilder().resume(10n, 10n).entry({ id: "id-15" })]);
    expect(store.lookupIdSync("id-15")).toEqual({ seq: 11n, index: 11n });
    await store.close();
  });
});

describe("lastSeqAtOrBefore", () => {
  it("gives the seq of the last entry at or before every index, also after truncation and reopening", async () => {
    const dir = await dirs.make();
    const store = await openIn(dir);
    expect(store.lastSeqAtOrBefore(raftIndex(0))).toBe(0n);
    expect(store.lastSeqAtOrBefore(raftIndex(5))).toBe(0n);
    const records = mixedRecords(45);
    await store.append(records);
    const expectAll = (s: LogStore, expected: bigint[]): void => {
      for (let i = 0; i < expected.length + 3; i++) {
        expect(s.lastSeqAtOrBefore(raftIndex(i)), `index ${i}`).toBe(expected[Math.min(i, expected.length - 1)]);
      }
    };
    expectAll(store, lastSeqs(records));
    await store.truncateAfter(raftIndex(29), raftIndex(0));
    expectAll(store, lastSeqs(records.slice(0, 29)));
    await store.close();
    const reopened = await openIn(dir);
    expectAll(reopened, lastSeqs(records.slice(0, 29)));
    await reopened.close();
  });
});
