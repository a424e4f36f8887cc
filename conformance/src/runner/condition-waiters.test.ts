import { describe, expect, it } from "vitest";
import { ConditionWaiters } from "./condition-waiters.js";

describe("ConditionWaiters", () => {
  it("resolves at once when the condition already holds", async () => {
    expect(await new ConditionWaiters().waitFor(() => true, 60_000)).toBe(true);
  });

  it("resolves true on the notify after which the condition holds", async () => {
    const w = new ConditionWaiters();
    let n = 0;
    const waiting = w.waitFor(() => n >= 2, 60_000);
    n = 1;
    w.notify();
    n = 2;
    w.notify();
    expect(await waiting).toBe(true);
  });

  it("resolves false when the signal aborts", async () => {
    const w = new ConditionWaiters();
    const abort = new AbortController();
    const waiting = w.waitFor(() => false, 60_000, abort.signal);
    abort.abort();
    expect(await waiting).toBe(false);
  });
});
