import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import {
  connectionLostError,
  connectionRefusedError,
  storageFullError,
  notLeaderError,
  overloadedError,
} from "../testing/fake-errors.js";
import { ManualClock } from "../testing/manual-clock.js";
import { sequenceRandom } from "../testing/seeded-random.js";
import { CallState, type CallKind } from "./call-state.js";
import { Deadline } from "./deadline.js";
import { attemptTimeoutError, toSynodError } from "./error-table.js";
import { LeaderTracker } from "./leader-tracker.js";
import { RetryBudget } from "./retry-budget.js";
import { decideRetry, mayRetry } from "./retry-policy.js";

function setup(timeoutMs = 10_000, tokens = 10) {
  const clock = new ManualClock();
  const state = new CallState();
  state.lastPeer = "http://a:1";
  const tracker = new LeaderTracker();
  const budget = new RetryBudget(clock, { maxTokens: tokens, refillPerSecond: 0, creditPerSuccess: 0 });
  const deadline = new Deadline(clock, timeoutMs);
  const decide = (raw: unknown, kind: CallKind = "append") =>
    decideRetry({
      kind,
      error: toSynodError(raw, state.lastPeer),
      state,
      tracker,
      budget,
      deadline,
      backoff: { baseMs: 100, capMs: 1_000 },
      random: sequenceRandom([0.5]),
      maxRedirects: 2,
    });
  return { clock, state, tracker, budget, decide };
}

describe("classification: which calls may repeat which failures", () => {
  it("follows DESIGN §7", () => {
    expect(mayRetry("write", "notExecuted")).toBe(true);
    expect(mayRetry("write", "outcomeUnknown")).toBe(false);
    expect(mayRetry("append", "outcomeUnknown")).toBe(true);
    expect(mayRetry("read", "outcomeUnknown")).toBe(true);
    expect(mayRetry("read", "fatal")).toBe(false);
  });
});

describe("decideRetry", () => {
  it("follows a newer hint at once, without spending budget", () => {
    const { decide, budget, state } = setup();
    const d = decide(notLeaderError("n2", "http://b:1", 4n));
    expect(d).toMatchObject({ action: "redirect", peer: "http://b:1" });
    expect(state.redirects).toBe(1);
    expect(budget.available()).toBe(10);
  });

  it("backs off on a hint that is not newer, avoiding the sender, and then targets the hinted leader", () => {
    const { decide, tracker, state } = setup();
    tracker.observe({ leaderId: "n2", leaderUrl: "http://b:1", term: 4n });
    const d = decide(notLeaderError("n2", "http://b:1", 4n));
    expect(d).toMatchObject({ action: "retry", delayMs: 50 });
    expect(state.avoid.has("http://a:1")).toBe(true);
  });

  it("stops following hints after maxRedirects", () => {
    const { decide, state } = setup();
    state.redirects = 2;
    expect(decide(notLeaderError("n2", "http://b:1", 9n)).action).toBe("retry");
  });

  it("never redirects back to the sender", () => {
    const { decide } = setup();
    expect(decide(notLeaderError("n1", "http://a:1", 9n)).action).toBe("retry");
  });

  it("retries a write only when it was not executed", () => {
    const { decide } = setup();
    expect(decide(connectionRefusedError("x"), "write").action).toBe("retry");
    const d = decide(connectionLostError(), "write");
    expect(d.action === "fail" && d.error.kind).toBe("outcomeUnknown");
  });

  it("retries appends and reads when the outcome is unknown", () => {
    expect(setup().decide(connectionLostError(), "append").action).toBe("retry");
    expect(setup().decide(connectionLostError(), "read").action).toBe("retry");
  });

  it("fails fatal errors at once", () => {
    const d = setup().decide(new ConnectError("no", Code.Unauthenticated), "read");
    expect(d.action === "fail" && d.error.kind).toBe("unauthenticated");
  });

  it("grows the backoff exponentially with full jitter", () => {
    const { decide } = setup();
    const delays = [1, 2, 3, 4, 5].map(() => {
      const d = decide(storageFullError("disk full"));
      return d.action === "retry" ? d.delayMs : -1;
    });
    expect(delays).toEqual([50, 100, 200, 400, 500]);
  });

  it("keeps waits short while a leader is being elected (refused connections, NotLeader without a hint)", () => {
    const { decide } = setup();
    const delays = [1, 2, 3, 4, 5].map(() => {
      const d = decide(connectionRefusedError("x"));
      return d.action === "retry" ? d.delayMs : -1;
    });
    expect(delays).toEqual([50, 50, 50, 50, 50]);
  });

  it("honours server pushback", () => {
    const d = setup().decide(overloadedError(700));
    expect(d).toMatchObject({ action: "retry", delayMs: 700 });
  });

  it("gives up when pushback or backoff would pass the deadline", () => {
    const d = setup(500).decide(overloadedError(700));
    expect(d.action === "fail" && d.error.kind).toBe("deadlineExceeded");
    const { decide, clock } = setup(1_000);
    clock.advance(1_000);
    const late = decide(connectionRefusedError("x"));
    expect(late.action === "fail" && late.error.kind).toBe("deadlineExceeded");
  });

  it("gives up when the retry budget is empty", () => {
    const { decide } = setup(10_000, 2);
    expect(decide(connectionRefusedError("x")).action).toBe("retry");
    expect(decide(connectionRefusedError("x")).action).toBe("retry");
    const d = decide(connectionRefusedError("x"));
    expect(d.action === "fail" && d.error.kind).toBe("retryBudgetExhausted");
    expect(d.action === "fail" && d.error.cause).toBeDefined();
  });

  it("forgets a leader that failed at the connection level, but not one that pushed back", () => {
    const a = setup();
    a.tracker.observe({ leaderId: "n1", leaderUrl: "http://a:1", term: 2n });
    expect(a.decide(overloadedError(10))).toMatchObject({ leaderLost: false });
    expect(a.tracker.view().leaderUrl).toBe("http://a:1");
    expect(a.decide(connectionRefusedError("x"))).toMatchObject({ leaderLost: true });
    expect(a.tracker.view().leaderUrl).toBe("");
  });

  it("treats an attempt timeout as a silent peer: appends and reads move on, unsafe writes fail with outcomeUnknown", () => {
    const a = setup();
    a.tracker.observe({ leaderId: "n1", leaderUrl: "http://a:1", term: 2n });
    expect(a.decide(attemptTimeoutError("http://a:1", 500), "append")).toMatchObject({ action: "retry", leaderLost: true });
    expect(a.state.avoid.has("http://a:1")).toBe(true);
    expect(a.tracker.view()).toMatchObject({ leaderUrl: "", term: 2n });
    expect(setup().decide(attemptTimeoutError("http://a:1", 500), "read").action).toBe("retry");
    const w = setup().decide(attemptTimeoutError("http://a:1", 500), "write");
    expect(w.action === "fail" && [w.error.kind, w.error.failure, w.error.retryable]).toEqual(["outcomeUnknown", "outcomeUnknown", false]);
  });

  it("reports an attempt that ran into the call's deadline as deadlineExceeded", () => {
    const { decide, clock } = setup(1_000);
    clock.advance(1_000);
    const d = decide(attemptTimeoutError("http://a:1", 400), "append");
    expect(d.action === "fail" && [d.error.kind, d.error.failure]).toEqual(["deadlineExceeded", "outcomeUnknown"]);
  });
});
