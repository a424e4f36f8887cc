import { describe, expect, it } from "vitest";
import { checkAcknowledged } from "./check-acknowledged.js";

const log = (...ids: string[]) => ids.map((id, i) => ({ id, seq: BigInt(i + 1) }));

describe("checkAcknowledged", () => {
  it("passes when every ack is in the log once at its seq (extra unacknowledged entries allowed)", () => {
    expect(checkAcknowledged([{ id: "a", seq: 1n }, { id: "c", seq: 3n }, { id: "c", seq: 3n }], log("a", "b", "c"))).toEqual([]);
  });

  it("reports a lost acknowledged append", () => {
    const v = checkAcknowledged([{ id: "a", seq: 1n }, { id: "x", seq: 2n }], log("a", "b"));
    expect(v).toHaveLength(1);
    expect(v[0]).toContain("x (seq 2) is missing");
  });

  it("reports an acknowledged append that appears twice", () => {
    const v = checkAcknowledged([{ id: "a", seq: 1n }], log("a", "b", "a"));
    expect(v).toEqual(["acknowledged append a appears 2 times in the final log (seqs 1, 3)"]);
  });

  it("reports an acknowledged append found at another seq", () => {
    const v = checkAcknowledged([{ id: "b", seq: 1n }], log("a", "b"));
    expect(v).toEqual(["acknowledged append b was acknowledged at seq 1 but is at seq 2 in the final log"]);
  });

  it("reports one id acknowledged with two different seqs", () => {
    const v = checkAcknowledged([{ id: "a", seq: 1n }, { id: "a", seq: 2n }], log("a", "b"));
    expect(v.some((m) => m.includes("acknowledged twice with different seqs (1 and 2)"))).toBe(true);
  });

  it("caps messages per kind and says how many were left out", () => {
    const acked = Array.from({ length: 25 }, (_, i) => ({ id: `m${i}`, seq: BigInt(i + 1) }));
    const v = checkAcknowledged(acked, []);
    expect(v).toHaveLength(21);
    expect(v[20]).toBe("... and 5 more lost violations");
  });
});
