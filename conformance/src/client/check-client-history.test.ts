import { describe, expect, it } from "vitest";
import { checkClientHistory, type CommittedEntry } from "./check-client-history.js";

const log = (...entries: [string, string][]): CommittedEntry[] => entries.map(([id, content], i) => ({ id, content, seq: BigInt(i + 1) }));
const sent = (...contents: string[]) => contents.map((content) => ({ id: undefined, content }));

describe("checkClientHistory", () => {
  const good = log(["a", "c1"], ["b", "c2"], ["c", "c3"]);

  it("passes a correct history on agreeing (possibly lagging) nodes", () => {
    const v = checkClientHistory({
      logs: new Map([["n1", good], ["n2", good.slice(0, 2)]]),
      sent: sent("c1", "c2", "c3"),
      acked: [{ id: "a", seq: 1n }, { id: "c", seq: 3n }],
      listeners: [{ name: "l", startAfterSeq: 0n, batches: [{ afterSeq: 0n, throughSeq: 3n, entries: good.map(({ id, seq }) => ({ id, seq })) }] }],
    });
    expect(v).toEqual([]);
  });

  it("reports an entry sent once but committed twice under two ids (a retry with a fresh id)", () => {
    const dup = log(["a", "c1"], ["a2", "c1"]);
    const v = checkClientHistory({ logs: new Map([["n1", dup]]), sent: sent("c1"), acked: [{ id: "a2", seq: 2n }], listeners: [] });
    expect(v).toEqual(['exactly once: the entry "c1" was sent once but is committed 2 times (a@1, a2@2): a retry used a new id']);
  });

  it("does not count content a case sent on purpose more than once", () => {
    const twice = log(["a", "same"], ["b", "same"]);
    expect(checkClientHistory({ logs: new Map([["n1", twice]]), sent: sent("same", "same"), acked: [], listeners: [] })).toEqual([]);
  });

  it("reports lost acknowledgements, diverging logs and listener gaps, each labelled", () => {
    const v = checkClientHistory({
      logs: new Map([["n1", good], ["n2", log(["a", "c1"], ["x", "c9"])]]),
      sent: sent("c1", "c2", "c3"),
      acked: [{ id: "z", seq: 4n }],
      listeners: [{ name: "l", startAfterSeq: 0n, batches: [{ afterSeq: 0n, throughSeq: 1n, entries: [{ id: "a", seq: 1n }] }, { afterSeq: 2n, throughSeq: 3n, entries: [{ id: "c", seq: 3n }] }] }],
    });
    expect(v.some((m) => m.startsWith("logs: logs of n1 and n2 diverge"))).toBe(true);
    expect(v).toContain("acknowledged: acknowledged append z (seq 4) is missing from the final log");
    expect(v.some((m) => m.startsWith("listener l: message 2 (2, 3]: starts after 1"))).toBe(true);
  });
});
