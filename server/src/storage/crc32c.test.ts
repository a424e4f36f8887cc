import { describe, expect, it } from "vitest";
import { crc32c } from "./crc32c.js";

describe("crc32c", () => {
  it("matches the standard check value", () => {
    expect(crc32c(Buffer.from("123456789"))).toBe(0xe3069283);
  });

  it("matches a bytewise reference on every length and alignment", () => {
    const reference = (bytes: Uint8Array): number => {
      let c = ~0;
      for (const b of bytes) {
        c ^= b;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      }
      return ~c >>> 0;
    };
    const data = Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 37 + 11) & 0xff));
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= data.length; end += 7) {
        expect(crc32c(data, start, end)).toBe(reference(data.subarray(start, end)));
      }
    }
  });
});
