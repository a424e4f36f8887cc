import { describe, expect, it } from "vitest";
import { ManualClock } from "../testing/manual-clock.js";
import { Deadline } from "./deadline.js";

describe("Deadline", () => {
  it("counts down on the injected clock and never goes negative", () => {
    const clock = new ManualClock({ startMs: 1_000 });
    const deadline = new Deadline(clock, 300);
    expect(deadline.remainingMs()).toBe(300);
    clock.advance(200);
    expect(deadline.expired()).toBe(false);
    expect(deadline.remainingMs()).toBe(100);
    clock.advance(150);
    expect(deadline.remainingMs()).toBe(0);
    expect(deadline.expired()).toBe(true);
  });

  it("is endless with an infinite timeout", () => {
    const clock = new ManualClock();
    const deadline = new Deadline(clock, Number.POSITIVE_INFINITY);
    clock.advance(1e12);
    expect(deadline.remainingMs()).toBe(Number.POSITIVE_INFINITY);
  });

  it("gives an attempt the attempt timeout, cut to what is left of the call, in whole ms", () => {
    const clock = new ManualClock();
    const deadline = new Deadline(clock, 1_200);
    expect(deadline.attemptMs(500)).toBe(500);
    clock.advance(900.4);
    expect(deadline.attemptMs(500)).toBe(300);
    clock.advance(299);
    expect(deadline.expired()).toBe(true);
    expect(deadline.attemptMs(500)).toBe(1);
    expect(new Deadline(clock, Number.POSITIVE_INFINITY).attemptMs(10_000)).toBe(10_000);
  });
});
