import { create } from "@bufbuild/protobuf";
import { EntryInputSchema } from "@synod/proto/entry";
import { describe, expect, it } from "vitest";
import { FakeLog } from "./fake-log.js";

const input = (id: string, type = "task") => create(EntryInputSchema, { id, type, content: `content of ${id}` });

describe("FakeLog", () => {
  it("assigns dense seqs from 1 in batch order", () => {
    const log = new FakeLog();
    expect(log.append([input("a"), input("b")], "o", 3n)).toEqual([
      { id: "a", seq: 1n, duplicate: false },
      { id: "b", seq: 2n, duplicate: false },
    ]);
    expect(log.append([input("c")], "o", 3n)).toEqual([{ id: "c", seq: 3n, duplicate: false }]);
    expect(log.lastSeq).toBe(3n);
    expect(log.byId("b")).toMatchObject({ seq: 2n, content: "content of b", origin: "o", term: 3n });
  });

  it("returns the original seq for a known id, also inside one batch, and appends it once", () => {
    const log = new FakeLog();
    log.append([input("a"), input("b")], "o", 1n);
    expect(log.append([input("b"), input("c"), input("c")], "o", 2n)).toEqual([
      { id: "b", seq: 2n, duplicate: true },
      { id: "c", seq: 3n, duplicate: false },
      { id: "c", seq: 3n, duplicate: true },
    ]);
    expect(log.snapshot()).toEqual([
      { seq: "1", id: "a" },
      { seq: "2", id: "b" },
      { seq: "3", id: "c" },
    ]);
  });

  it("pages after a seq, covering filtered seqs in throughSeq", () => {
    const log = new FakeLog();
    log.append([input("a"), input("b", "note"), input("c"), input("d")], "o", 1n);
    const first = log.page(0n, 2);
    expect(first.entries.map((e) => e.id)).toEqual(["a", "b"]);
    expect(first).toMatchObject({ throughSeq: 2n, commitSeq: 4n, hasMore: true });
    const filtered = log.page(1n, 2, ["task"]);
    expect(filtered.entries.map((e) => e.id)).toEqual(["c"]);
    expect(filtered).toMatchObject({ throughSeq: 3n, hasMore: true });
    expect(log.page(0n, 0).entries).toHaveLength(4);
    expect(log.page(4n, 10)).toMatchObject({ entries: [], throughSeq: 4n, hasMore: false });
    expect(log.page(9n, 10)).toMatchObject({ entries: [], throughSeq: 9n, hasMore: false });
  });
});
