import { describe, expect, it } from "vitest";
import type { RecordedEvent } from "../driver/driver-process.js";
import { announcedWaitsMs, pairRetryGaps } from "./retry-gaps-op.js";

const ev = (name: string, data: Record<string, unknown>): RecordedEvent => ({ name, data, atMs: 0 });
const attempt = (method: string): RecordedEvent => ev("attempt", { method });
const backoff = (method: string, delayMs: number): RecordedEvent => ev("backoff", { method, delayMs });

describe("announcedWaitsMs", () => {
  it("sums the backoffs between consecutive attempts of one method; a redirect waits 0", () => {
    const events = [attempt("Read"), backoff("Read", 12.5), attempt("Read"), ev("redirect", { method: "Read" }), attempt("Read"), backoff("Read", 3), backoff("Read", 4), attempt("Read")];
    expect(announcedWaitsMs(events, "Read")).toEqual({ attempts: 4, waitsMs: [12.5, 0, 7] });
  });

  it("ignores other methods and a backoff after the last attempt", () => {
    const events = [attempt("Read"), attempt("Append"), backoff("Append", 50), backoff("Read", 9), attempt("Read"), backoff("Read", 100)];
    expect(announcedWaitsMs(events, "Read")).toEqual({ attempts: 2, waitsMs: [9] });
  });
});

describe("pairRetryGaps", () => {
  it("compares each announced wait with the gap between the requests", () => {
    expect(pairRetryGaps([10, 0], [100, 112, 113])).toEqual([
      { waitMs: 10, gapMs: 12, marginMs: 2 },
      { waitMs: 0, gapMs: 1, marginMs: 1 },
    ]);
  });

  it("shows a client that reports a wait but does not sleep as a negative margin", () => {
    expect(pairRetryGaps([150], [100, 103])).toEqual([{ waitMs: 150, gapMs: 3, marginMs: -147 }]);
  });

  it("refuses to pair attempts and requests that differ in number", () => {
    expect(pairRetryGaps([5, 5], [100, 110])).toMatch(/3 attempt\(s\) but the fake servers received 2 request/);
  });
});
