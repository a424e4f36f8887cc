import { describe, expect, it } from "vitest";
import { uint64Arg } from "./uint64-arg.js";

describe("uint64Arg", () => {
  it("reads numbers and decimal strings, and leaves an absent argument absent", () => {
    expect(uint64Arg(undefined, "afterSeq")).toBeUndefined();
    expect(uint64Arg(0, "afterSeq")).toBe(0n);
    expect(uint64Arg(42, "afterSeq")).toBe(42n);
    expect(uint64Arg("18446744073709551615", "afterSeq")).toBe(2n ** 64n - 1n);
  });

  it("refuses negatives, fractions, unsafe numbers, values of 2^64 and more, and other types", () => {
    for (const bad of [-1, 1.5, 2 ** 60, "18446744073709551616", "-1", "0x10", "", null, true]) {
      expect(() => uint64Arg(bad, "afterSeq"), JSON.stringify(bad)).toThrow(/^afterSeq must be an unsigned 64-bit integer/);
    }
  });
});
