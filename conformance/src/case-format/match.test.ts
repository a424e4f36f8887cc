import { describe, expect, it } from "vitest";
import { match } from "./match.js";

describe("match", () => {
  it("matches objects partially and arrays exactly", () => {
    expect(match({ a: 1, b: { c: "x", d: 2 } }, { b: { c: "x" } })).toEqual([]);
    expect(match([1, 2], [1, 2])).toEqual([]);
    expect(match([1, 2, 3], [1, 2])[0]?.message).toMatch(/expected 2 elements/);
    expect(match({ a: 1 }, { b: 1 })[0]?.path).toBe("b");
  });

  it("compares 64-bit integers written as numbers or decimal strings exactly", () => {
    expect(match("18446744073709551615", "18446744073709551615")).toEqual([]);
    expect(match("9007199254740993", "9007199254740992")).toHaveLength(1);
    expect(match("5", 5)).toEqual([]);
    expect(match({ seq: "7" }, { seq: { $gt: 6, $lte: "7" } })).toEqual([]);
    expect(match({ seq: "7" }, { seq: { $gt: 7 } })).toHaveLength(1);
  });

  it("supports the documented operators", () => {
    expect(match(undefined, { $exists: false })).toEqual([]);
    expect(match({}, { a: { $exists: false } })).toEqual([]);
    expect(match({ a: 1 }, { a: { $exists: false } })).toHaveLength(1);
    expect(match("b", { $oneOf: ["a", "b"] })).toEqual([]);
    expect(match("c", { $ne: "c" })).toHaveLength(1);
    expect(match([1, 2, 3], { $len: 3, $sorted: true, $unique: true })).toEqual([]);
    expect(match([1, 1], { $unique: true })).toHaveLength(1);
    expect(match([3, 1], { $sorted: true })).toHaveLength(1);
    expect(match([{ id: "a" }, { id: "b" }], { $contains: { id: "b" } })).toEqual([]);
    expect(match([{ id: "a" }, { id: "b" }], { $all: { id: "a" } })).toHaveLength(1);
    expect(match("not leader: n2", { $regex: "^not leader" })).toEqual([]);
    expect(match(5, { $and: [{ $gt: 1 }, { $lt: 4 }] })).toHaveLength(1);
    expect(match(1, { $bogus: 1 })[0]?.message).toMatch(/unknown operator/);
  });

  it("reports where an error outcome differs from an expected ok", () => {
    const m = match({ error: { code: "unavailable" } }, { ok: { $exists: true } });
    expect(m[0]?.path).toBe("ok");
  });
});
