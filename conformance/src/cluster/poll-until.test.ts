import { describe, expect, it } from "vitest";
import { pollUntil } from "./poll-until.js";

describe("pollUntil", () => {
  it("returns true as soon as the probe holds, without pausing first", async () => {
    let tries = 0;
    expect(await pollUntil(() => ++tries >= 1, { timeoutMs: 60_000, intervalMs: 60_000 })).toBe(true);
    expect(tries).toBe(1);
  });

  it("probes at least once and returns false when the time is up", async () => {
    let tries = 0;
    expect(await pollUntil(() => (tries++, false), { timeoutMs: 0 })).toBe(false);
    expect(tries).toBe(1);
  });

  it("stops at once when the signal aborts during a pause", async () => {
    const abort = new AbortController();
    const polling = pollUntil(() => false, { timeoutMs: 60_000, intervalMs: 60_000, signal: abort.signal });
    abort.abort();
    expect(await polling).toBe(false);
  });
});
