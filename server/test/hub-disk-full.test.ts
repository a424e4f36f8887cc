import { afterEach, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { StorageFullSchema } from "@synod/proto/errors";
import { nodeStorageFs, type StorageFs } from "../src/storage/index.js";
import { startTestHub, type TestHub } from "./hub-harness.js";

let h: TestHub | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** The real file system, whose segment writes fail with ENOSPC while `full` is set. */
function fillableFs(): { fs: StorageFs; setFull(v: boolean): void } {
  let full = false;
  const enospc = (): Error => Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
  const fs: StorageFs = {
    ...nodeStorageFs,
    async open(path, mode) {
      const f = await nodeStorageFs.open(path, mode);
      return {
        read: (...a) => f.read(...a),
        write: (...a) => (full && path.endsWith(".seg") ? Promise.reject(enospc()) : f.write(...a)),
        datasync: () => f.datasync(),
        sync: () => f.sync(),
        truncate: (n) => f.truncate(n),
        sizeBytes: () => f.sizeBytes(),
        close: () => f.close(),
      };
    },
  };
  return { fs, setFull: (v) => (full = v) };
}

it("a full disk rejects appends with resource_exhausted + StorageFull, reads keep working, writes resume by themselves", async () => {
  const disk = fillableFs();
  h = await startTestHub(undefined, { storageFs: disk.fs });
  const c = h.client();
  await c.append({ entries: [{ id: "before", type: "task", content: "written before the disk filled" }] });
  disk.setFull(true);
  const err = await c.append({ entries: [{ id: "during", type: "task", content: "x" }] }).then(
    () => undefined,
    (e: unknown) => ConnectError.from(e),
  );
  expect(err?.code).toBe(Code.ResourceExhausted);
  expect(err?.findDetails(StorageFullSchema)).toHaveLength(1);
  const page = await c.read({});
  expect(page.entries.map((e) => e.id)).toEqual(["before"]);
  expect((await c.status({})).storageError).not.toBe("");
  disk.setFull(false);
  // The node rebuilt its Raft state from disk after the failed write; it leads
  // again after an election timeout, and its first write (the new term's no-op)
  // clears the storage error.
  for (let i = 0; i < 500; i++) {
    const s = await c.status({});
    if (s.storageError === "" && s.role === 1) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const r = await c.append({ entries: [{ id: "during", type: "task", content: "x" }, { id: "after", type: "task", content: "y" }] });
  expect(r.results.map((x) => [x.seq, x.duplicate])).toEqual([
    [2n, false],
    [3n, false],
  ]);
  expect((await c.status({})).storageError).toBe("");
  h = await h.restart();
  expect((await readIds(h))).toEqual(["before", "during", "after"]);
});

async function readIds(t: TestHub): Promise<string[]> {
  return (await t.client().read({})).entries.map((e) => e.id);
}
