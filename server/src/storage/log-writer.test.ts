import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { raftIndex } from "../raft/types.js";
import { StorageError } from "./errors.js";
import { LogStore } from "./log-store.js";
import { faultyFs, noFaults, RecordBuilder, TempDirs, warnings } from "./test-fixtures.js";

const dirs = new TempDirs();
afterEach(() => dirs.cleanup());

describe("write failures", () => {
  it("rejects with kind full on ENOSPC, hides the partial write, keeps reads and resumes by itself", async () => {
    const dir = await dirs.make();
    const faults = noFaults();
    const store = await LogStore.open(dir, { fs: faultyFs(faults), log: warnings() });
    const b = new RecordBuilder();
    const first = b.entries(5);
    await store.append(first);
    const segment = join(dir, "log", (await readdir(join(dir, "log")))[0]!);
    const goodSize = (await stat(segment)).size;

    faults.enospcWrites = 1;
    faults.partialBytes = 37;
    const failing = b.entries(3);
    const error = await store.append(failing).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).kind).toBe("full");
    expect((error as StorageError).poisoned).toBe(false);
    expect(store.state).toBe("failed");
    expect(store.lastIndex).toBe(5n);
    expect((await stat(segment)).size).toBe(goodSize + 37);
    expect(await store.readRecords(raftIndex(1), 100, 1 << 20)).toEqual(first);
    expect(await store.lookupId(`id-6`)).toBeUndefined();

    faults.enospcWrites = 1;
    const retry = new RecordBuilder().resume(5n, 5n);
    await expect(store.append(retry.entries(3))).rejects.toMatchObject({ kind: "full" });
    expect((await stat(segment)).size).toBe(goodSize + 37);

    const again = new RecordBuilder().resume(5n, 5n);
    const later = again.entries(4);
    await store.append(later);
    expect(store.state).toBe("ok");
    expect(await store.readRecords(raftIndex(1), 100, 1 << 20)).toEqual([...first, ...later]);
    await store.close();
    const reopened = await LogStore.open(dir, { log: warnings() });
    expect(await reopened.readRecords(raftIndex(1), 100, 1 << 20)).toEqual([...first, ...later]);
    await reopened.close();
  });

  it("rejects appends queued behind a failed write, then all of them can be retried", async () => {
    const dir = await dirs.make();
    const faults = noFaults();
    const store = await LogStore.open(dir, { fs: faultyFs(faults), log: warnings() });
    const b = new RecordBuilder();
    faults.enospcWrites = 1;
    const calls = Array.from({ length: 5 }, () => store.append(b.entries(2)));
    const results = await Promise.allSettled(calls);
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect(store.lastIndex).toBe(0n);
    await store.append(new RecordBuilder().entries(10));
    expect(store.lastIndex).toBe(10n);
    await store.close();
  });

  it("removes a segment created by a failed write across a roll", async () => {
    const dir = await dirs.make();
    const faults = noFaults();
    const store = await LogStore.open(dir, { fs: faultyFs(faults), log: warnings(), segmentBytesMax: 1000 });
    const b = new RecordBuilder();
    await store.append(b.entries(1));
    const [firstSegment] = await readdir(join(dir, "log"));
    const goodSize = (await stat(join(dir, "log", firstSegment!))).size;
    faults.passWrites = 1; // the tail of the current segment is written and synced, the new segment is not
    faults.enospcWrites = 1;
    faults.partialBytes = 10;
    await expect(store.append(b.entries(8))).rejects.toMatchObject({ kind: "full" });
    expect((await readdir(join(dir, "log"))).length).toBe(2);
    expect((await stat(join(dir, "log", firstSegment!))).size).toBeGreaterThan(goodSize);
    expect(store.lastIndex).toBe(1n);
    expect(await store.readRecords(raftIndex(1), 100, 1 << 20)).toHaveLength(1);

    const retried = new RecordBuilder().resume(1n, 1n).entries(8);
    await store.append(retried);
    expect(store.lastIndex).toBe(9n);
    await store.close();
    const reopened = await LogStore.open(dir, { log: warnings(), segmentBytesMax: 1000 });
    expect(reopened.lastIndex).toBe(9n);
    expect((await reopened.readRecords(raftIndex(2), 100, 1 << 20))).toEqual(retried);
    await reopened.close();
  });

  it("poisons the store when fdatasync fails: every later append rejects with kind io", async () => {
    const dir = await dirs.make();
    const faults = noFaults();
    const store = await LogStore.open(dir, { fs: faultyFs(faults), log: warnings() });
    const b = new RecordBuilder();
    await store.append(b.entries(3));
    faults.failSyncs = 1;
    await expect(store.append(b.entries(2))).rejects.toMatchObject({ kind: "io", poisoned: true });
    expect(store.state).toBe("poisoned");
    expect(store.lastIndex).toBe(3n);
    const error = await store.append(new RecordBuilder().resume(3n, 3n).entries(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).message).toMatch(/must restart/);
    expect(faults.datasyncs).toBe(2);
    expect(await store.readRecords(raftIndex(1), 10, 1 << 20)).toHaveLength(3);
    await store.close();
  });

  it("rejects with kind overloaded when the queue is over its byte bound", async () => {
    const dir = await dirs.make();
    const store = await LogStore.open(dir, { log: warnings(), pendingBytesMax: 2000 });
    const b = new RecordBuilder();
    const first = store.append(b.entries(2));
    const second = store.append(b.entries(5));
    await expect(store.append(new RecordBuilder().resume(7n, 7n).entries(20))).rejects.toMatchObject({ kind: "overloaded" });
    await Promise.all([first, second]);
    expect(store.lastIndex).toBe(7n);
    await store.close();
  });
});
