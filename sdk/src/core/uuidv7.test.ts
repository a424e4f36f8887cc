import { describe, expect, it } from "vitest";
import { formatUuidV7 } from "./uuidv7.js";

describe("formatUuidV7", () => {
  it("encodes time, version and variant (RFC 9562 §5.7)", () => {
    const id = formatUuidV7(0x0189_c7a3_5b2f, new Uint8Array(10).fill(0xff));
    expect(id).toBe("0189c7a3-5b2f-7fff-bfff-ffffffffffff");
    const zero = formatUuidV7(0, new Uint8Array(10));
    expect(zero).toBe("00000000-0000-7000-8000-000000000000");
  });

  it("sorts by creation time", () => {
    const bytes = new Uint8Array(10).fill(0x42);
    const a = formatUuidV7(1_700_000_000_000, bytes);
    const b = formatUuidV7(1_700_000_000_001, bytes);
    expect(a < b).toBe(true);
  });

  it("rejects bad inputs", () => {
    expect(() => formatUuidV7(-1, new Uint8Array(10))).toThrow(RangeError);
    expect(() => formatUuidV7(2 ** 48, new Uint8Array(10))).toThrow(RangeError);
    expect(() => formatUuidV7(1, new Uint8Array(9))).toThrow(RangeError);
  });
});
