/**
 * `retryGaps {method}` (Tier A): whether the client under test really waited the
 * backoffs it reported. It pairs the client's `attempt` events of one RPC method with
 * the requests of that method the fake servers recorded (the n-th attempt is the n-th
 * request: run one call of the method at a time, against servers that are up), and
 * for each retry compares the wait the client announced with `backoff` events
 * between the two attempts (0 for a redirect) to the gap between the two requests on
 * the wire, on the fake servers' clock. A client that reports backoffs but does not
 * sleep has gaps far below its waits; one that sleeps longer than it reports has
 * gaps far above them. Neither depends on how the steps of the case are scheduled.
 */
import type { RecordedEvent } from "../driver/driver-process.js";
import type { OpHandler } from "../runner/case-context.js";
import { clientSession } from "./client-session.js";
import { fakeServersKey } from "./fake-servers-api.js";
import { isScriptedFakeServers } from "./fake-server/start-fake-servers.js";

/** One retry: the wait announced before it and the gap the fake servers saw. */
export interface RetryGap {
  /** Sum of the `delayMs` of the backoff events between the two attempts, ms. */
  readonly waitMs: number;
  /** Time between the two requests' arrival at the fake servers, ms. */
  readonly gapMs: number;
  /** `gapMs - waitMs`: negative when the client retried sooner than it said. */
  readonly marginMs: number;
}

/**
 * The wait announced before each attempt after the first, from the events of one
 * method in the order the driver reported them.
 */
export function announcedWaitsMs(events: readonly RecordedEvent[], method: string): { attempts: number; waitsMs: number[] } {
  const waitsMs: number[] = [];
  let attempts = 0;
  let pendingMs = 0;
  for (const e of events) {
    if (e.data.method !== method) continue;
    if (e.name === "attempt") {
      if (attempts > 0) waitsMs.push(pendingMs);
      attempts++;
      pendingMs = 0;
    } else if (e.name === "backoff" && typeof e.data.delayMs === "number") {
      pendingMs += e.data.delayMs;
    }
  }
  return { attempts, waitsMs };
}

/**
 * Pairs announced waits with wire gaps.
 * @returns the retries, or why they cannot be paired.
 */
export function pairRetryGaps(waitsMs: readonly number[], requestAtMs: readonly number[]): RetryGap[] | string {
  if (requestAtMs.length !== waitsMs.length + 1) {
    return `the client reported ${waitsMs.length + 1} attempt(s) but the fake servers received ${requestAtMs.length} request(s)`;
  }
  return waitsMs.map((waitMs, i) => {
    const gapMs = (requestAtMs[i + 1] as number) - (requestAtMs[i] as number);
    return { waitMs, gapMs, marginMs: Math.round(gapMs - waitMs) };
  });
}

/**
 * → `{retries: [{waitMs, gapMs, marginMs}], count, minMarginMs, maxMarginMs}`
 * (margins 0 without retries), or `{error: {message}}` when the attempts reported
 * and the requests received differ in number.
 */
export const retryGapsOp: OpHandler = async (a, ctx) => {
  if (typeof a.method !== "string") throw new Error("retryGaps: method must be an RPC name");
  const servers = ctx.state.get(fakeServersKey);
  if (!isScriptedFakeServers(servers)) throw new Error("retryGaps: this case has no running fake servers (it needs network: fake)");
  const { waitsMs } = announcedWaitsMs(clientSession(ctx).driver.events(), a.method);
  const retries = pairRetryGaps(waitsMs, servers.select({ method: a.method }).map((r) => r.atMs));
  if (typeof retries === "string") return { error: { message: retries } };
  const margins = retries.map((r) => r.marginMs);
  const extreme = (pick: (...v: number[]) => number): number => (margins.length === 0 ? 0 : pick(...margins));
  return { ok: { retries, count: retries.length, minMarginMs: extreme(Math.min), maxMarginMs: extreme(Math.max) } };
};
