import { describe, expect, it } from "vitest";
import { ManualClock } from "../testing/manual-clock.js";
import { RetryBudget } from "./retry-budget.js";

describe("RetryBudget (token bucket)", () => {
  it("allows a burst of maxTokens retries, then refuses", () => {
    const budget = new RetryBudget(new ManualClock(), { maxTokens: 3, refillPerSecond: 1, creditPerSuccess: 0.5 });
    expect([budget.tryWithdraw(), budget.tryWithdraw(), budget.tryWithdraw()]).toEqual([true, true, true]);
    expect(budget.tryWithdraw()).toBe(false);
  });

  it("refills with time, up to the maximum", () => {
    const clock = new ManualClock();
    const budget = new RetryBudget(clock, { maxTokens: 2, refillPerSecond: 2, creditPerSuccess: 0 });
    budget.tryWithdraw();
    budget.tryWithdraw();
    expect(budget.msUntilToken()).toBe(500);
    clock.advance(499);
    expect(budget.tryWithdraw()).toBe(false);
    clock.advance(1);
    expect(budget.tryWithdraw()).toBe(true);
    clock.advance(60_000);
    expect(budget.available()).toBe(2);
  });

  it("earns tokens from successful calls", () => {
    const budget = new RetryBudget(new ManualClock(), { maxTokens: 1, refillPerSecond: 0, creditPerSuccess: 0.5 });
    expect(budget.tryWithdraw()).toBe(true);
    expect(budget.msUntilToken()).toBe(Number.POSITIVE_INFINITY);
    budget.recordSuccess();
    expect(budget.tryWithdraw()).toBe(false);
    budget.recordSuccess();
    expect(budget.tryWithdraw()).toBe(true);
  });

  it("does not charge retries right after a success (a failover), but does once the cluster has been silent", () => {
    const clock = new ManualClock();
    const budget = new RetryBudget(clock, { maxTokens: 2, refillPerSecond: 0, creditPerSuccess: 0, graceMs: 1000 });
    budget.recordSuccess();
    for (let i = 0; i < 50; i++) expect(budget.tryWithdraw()).toBe(true);
    expect(budget.available()).toBe(2);
    clock.advance(1000);
    expect([budget.tryWithdraw(), budget.tryWithdraw(), budget.tryWithdraw()]).toEqual([true, true, false]);
  });
});
