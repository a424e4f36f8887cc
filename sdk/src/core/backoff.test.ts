import { describe, expect, it } from "vitest";
import { sequenceRandom } from "../testing/seeded-random.js";
import { backoffDelayMs } from "./backoff.js";

const options = { baseMs: 100, capMs: 1_000 };

describe("backoffDelayMs (full jitter)", () => {
  it("draws uniformly below base·2^retry", () => {
    const nearlyOne = sequenceRandom([0.999]);
    expect(backoffDelayMs(0, options, nearlyOne)).toBe(99);
    expect(backoffDelayMs(1, options, nearlyOne)).toBe(199);
    expect(backoffDelayMs(2, options, nearlyOne)).toBe(399);
    expect(backoffDelayMs(2, options, sequenceRandom([0.5]))).toBe(200);
    expect(backoffDelayMs(3, options, sequenceRandom([0]))).toBe(0);
  });

  it("never exceeds the cap", () => {
    expect(backoffDelayMs(10, options, sequenceRandom([0.999]))).toBe(999);
    expect(backoffDelayMs(1_000, options, sequenceRandom([0.999]))).toBe(999);
  });

  it("waits at least the server's pushback", () => {
    expect(backoffDelayMs(0, options, sequenceRandom([0.1]), 700)).toBe(700);
    expect(backoffDelayMs(0, options, sequenceRandom([0.1]), 5_000)).toBe(5_000);
    expect(backoffDelayMs(3, options, sequenceRandom([0.999]), 10)).toBe(799);
  });
});
