import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { raftIndex, term } from "../raft/types.js";
import { CorruptLogError } from "./errors.js";
import { HARD_STATE_FILE, loadHardState, saveHardState } from "./hard-state.js";
import { faultyFs, noFaults, TempDirs } from "./test-fixtures.js";
import { nodeStorageFs } from "./storage-fs.js";

const dirs = new TempDirs();
afterEach(() => dirs.cleanup());

describe("hard state", () => {
  it("is undefined before the first save and round-trips after", async () => {
    const dir = await dirs.make();
    expect(await loadHardState(nodeStorageFs, dir)).toBeUndefined();
    await saveHardState(nodeStorageFs, dir, { term: term(3), vote: "n2", commit: raftIndex(17) });
    expect(await loadHardState(nodeStorageFs, dir)).toEqual({ term: 3n, vote: "n2", commit: 17n });
    await saveHardState(nodeStorageFs, dir, { term: term(4), vote: undefined });
    expect(await loadHardState(nodeStorageFs, dir)).toEqual({ term: 4n, vote: undefined });
    expect(await readdir(dir)).toEqual([HARD_STATE_FILE]);
  });

  it("keeps the previous state intact when a save fails part-way", async () => {
    const dir = await dirs.make();
    await saveHardState(nodeStorageFs, dir, { term: term(5), vote: "n1" });
    const before = await readFile(join(dir, HARD_STATE_FILE), "utf8");
    const faults = noFaults();
    faults.enospcWrites = 1;
    faults.partialBytes = 5;
    await expect(saveHardState(faultyFs(faults), dir, { term: term(6), vote: "n3" })).rejects.toMatchObject({ kind: "full" });
    faults.failSyncs = 1;
    await expect(saveHardState(faultyFs(faults), dir, { term: term(6), vote: "n3" })).rejects.toMatchObject({ poisoned: true });
    expect(await readFile(join(dir, HARD_STATE_FILE), "utf8")).toBe(before);
    expect(await loadHardState(nodeStorageFs, dir)).toEqual({ term: 5n, vote: "n1" });
  });

  it("throws CorruptLogError naming the file when unreadable", async () => {
    const dir = await dirs.make();
    await writeFile(join(dir, HARD_STATE_FILE), '{"version":1,"term":');
    const error = await loadHardState(nodeStorageFs, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptLogError);
    expect((error as Error).message).toContain(join(dir, HARD_STATE_FILE));
  });
});
