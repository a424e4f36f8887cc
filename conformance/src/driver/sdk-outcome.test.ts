import { Code } from "@connectrpc/connect";
import { asSeq, asTerm, ERROR_KINDS, SynodError } from "@synod/sdk";
import { describe, expect, it } from "vitest";
import { clientErrorKinds } from "./driver-contract.js";
import { appendOkOf, batchOf, clientErrorOf, describeSdkError, eventDataOf, readOkOf } from "./sdk-outcome.js";

describe("the SDK's outcomes in contract form", () => {
  it("uses the SDK's closed set of error kinds", () => {
    expect([...clientErrorKinds]).toEqual([...ERROR_KINDS]);
  });

  it("maps a SynodError with its code name and NotLeader hint, 64-bit term as a string", () => {
    const e = new SynodError({
      kind: "notLeader",
      message: "not the leader",
      failure: "notExecuted",
      retryable: true,
      code: Code.Unavailable,
      details: { notLeader: { leaderId: "n2", leaderUrl: "http://b", term: asTerm(18446744073709551615n) } },
    });
    expect(clientErrorOf(e)).toEqual({
      kind: "notLeader",
      failure: "notExecuted",
      retryable: true,
      code: "unavailable",
      message: "not the leader",
      notLeader: { leaderId: "n2", leaderUrl: "http://b", term: "18446744073709551615" },
    });
  });

  it("spells multi-word codes as the Connect protocol does and keeps pushback and compaction details", () => {
    const e = new SynodError({ kind: "deadlineExceeded", message: "late", failure: "outcomeUnknown", retryable: false, code: Code.DeadlineExceeded });
    expect(clientErrorOf(e).code).toBe("deadline_exceeded");
    const p = new SynodError({ kind: "overloaded", message: "busy", failure: "notExecuted", retryable: true, code: Code.ResourceExhausted, details: { retryAfterMs: 250 } });
    expect(clientErrorOf(p)).toMatchObject({ code: "resource_exhausted", retryAfterMs: 250 });
    const c = new SynodError({ kind: "compacted", message: "gone", failure: "fatal", retryable: false, code: Code.OutOfRange, details: { earliestSeq: asSeq(40n) } });
    expect(clientErrorOf(c)).toMatchObject({ earliestSeq: "40" });
  });

  it("omits the code of an error the SDK raised itself", () => {
    const e = new SynodError({ kind: "retryBudgetExhausted", message: "no budget", failure: "fatal", retryable: false });
    expect(clientErrorOf(e)).toEqual({ kind: "retryBudgetExhausted", failure: "fatal", retryable: false, message: "no budget" });
  });

  it("describes only SynodErrors; anything else is the driver's fault", () => {
    expect(describeSdkError(new TypeError("x"))).toBeUndefined();
    expect(describeSdkError("x")).toBeUndefined();
    expect(describeSdkError(new SynodError({ kind: "internal", message: "m", failure: "outcomeUnknown", retryable: true }))?.kind).toBe("internal");
  });

  it("converts results, pages and batches with decimal strings", () => {
    expect(appendOkOf([{ id: "a", seq: asSeq(9007199254740993n), duplicate: true }])).toEqual({ results: [{ id: "a", seq: "9007199254740993", duplicate: true }] });
    const entry = { id: "a", type: "task", content: "c", meta: {}, createdAt: undefined, seq: asSeq(3n), origin: "admin", term: asTerm(2n), committedAt: undefined };
    expect(readOkOf({ entries: [entry], throughSeq: asSeq(3n), commitSeq: asSeq(5n), hasMore: true })).toEqual({
      entries: [{ seq: "3", id: "a", type: "task", content: "c", origin: "admin", term: "2" }],
      throughSeq: "3",
      commitSeq: "5",
      hasMore: true,
    });
    expect(batchOf({ afterSeq: asSeq(2n), throughSeq: asSeq(3n), entries: [entry], commitSeq: asSeq(3n), leaderId: "n1", term: asTerm(2n) })).toEqual({
      afterSeq: "2",
      throughSeq: "3",
      entries: [{ seq: "3", id: "a" }],
    });
  });

  it("converts event payloads: terms and cursors to strings, a giveUp's error to its contract form", () => {
    expect(eventDataOf("failover", { from: "a", to: "", term: asTerm(4n) })).toEqual({ from: "a", to: "", term: "4" });
    expect(eventDataOf("redirect", { method: "Append", from: "a", to: "b", term: asTerm(5n) })).toEqual({ method: "Append", from: "a", to: "b", term: "5" });
    expect(eventDataOf("resume", { afterSeq: asSeq(17n), peer: "b" })).toEqual({ afterSeq: "17", peer: "b" });
    expect(eventDataOf("peers", { peers: ["a", "b"] })).toEqual({ peers: ["a", "b"] });
    expect(eventDataOf("attempt", { method: "Read", kind: "read", attempt: 2, peer: "a" })).toEqual({ method: "Read", kind: "read", attempt: 2, peer: "a" });
    const error = new SynodError({ kind: "outcomeUnknown", message: "lost", failure: "outcomeUnknown", retryable: false, code: Code.Unavailable });
    expect(eventDataOf("giveUp", { method: "Register", attempts: 1, error })).toEqual({
      method: "Register",
      attempts: 1,
      error: { kind: "outcomeUnknown", failure: "outcomeUnknown", retryable: false, code: "unavailable", message: "lost" },
    });
    expect(eventDataOf("backoff", { method: "Listen", delayMs: 10, attempt: 1, reason: "unavailable", peer: "a" })).toEqual({ method: "Listen", delayMs: 10, attempt: 1, reason: "unavailable", peer: "a" });
  });
});
