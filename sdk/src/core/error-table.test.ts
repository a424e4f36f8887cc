import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import {
  badRequestError,
  compactedError,
  connectionLostError,
  connectionRefusedError,
  notLeaderError,
  overloadedError,
  storageFullError,
} from "../testing/fake-errors.js";
import { attemptTimeoutError, toSynodError, WIRE_ERROR_TABLE } from "./error-table.js";
import { ERROR_KINDS, SynodError } from "./synod-error.js";

describe("the wire error table (DESIGN §6)", () => {
  it("maps NotLeader to notLeader / not executed, with the hint normalized", () => {
    const e = toSynodError(notLeaderError("n2", "hub-b:9900", 7n), "http://a:1");
    expect([e.kind, e.failure, e.retryable, e.code]).toEqual(["notLeader", "notExecuted", true, Code.Unavailable]);
    expect(e.details.notLeader).toEqual({ leaderId: "n2", leaderUrl: "http://hub-b:9900", term: 7n });
    expect(e.peer).toBe("http://a:1");
  });

  it("maps an empty NotLeader hint (no leader) to notLeader too", () => {
    const e = toSynodError(notLeaderError("", "", 3n));
    expect(e.kind).toBe("notLeader");
    expect(e.details.notLeader?.leaderUrl).toBe("");
  });

  it("tells a refused connection (not sent) from a lost one (outcome unknown)", () => {
    expect(toSynodError(connectionRefusedError("http://a:1")).failure).toBe("notExecuted");
    const lost = toSynodError(connectionLostError());
    expect([lost.kind, lost.failure]).toEqual(["unavailable", "outcomeUnknown"]);
  });

  it("treats an HTTP/2 REFUSED_STREAM (opened after a GOAWAY) as not executed, and other internal errors as unknown", () => {
    const refused = new ConnectError("Stream closed with error code NGHTTP2_REFUSED_STREAM", Code.Internal, undefined, undefined, Object.assign(new Error("Stream closed with error code NGHTTP2_REFUSED_STREAM"), { code: "ERR_HTTP2_STREAM_ERROR" }));
    expect([toSynodError(refused).kind, toSynodError(refused).failure]).toEqual(["unavailable", "notExecuted"]);
    const other = new ConnectError("Stream closed with error code NGHTTP2_INTERNAL_ERROR", Code.Internal);
    expect(toSynodError(other).failure).toBe("outcomeUnknown");
  });

  it("maps pushback, full disk, compaction and bad input with their details", () => {
    const o = toSynodError(overloadedError(250));
    expect([o.kind, o.failure, o.details.retryAfterMs]).toEqual(["overloaded", "notExecuted", 250]);
    const s = toSynodError(storageFullError("disk full"));
    expect([s.kind, s.details.storageReason]).toEqual(["storageFull", "disk full"]);
    const c = toSynodError(compactedError(40n));
    expect([c.kind, c.retryable, c.details.earliestSeq]).toEqual(["compacted", false, 40n]);
    const b = toSynodError(badRequestError("entries[0].type", "unknown type"));
    expect([b.kind, b.failure]).toEqual(["invalidArgument", "fatal"]);
    expect(b.details.fieldViolations).toEqual([{ field: "entries[0].type", description: "unknown type" }]);
  });

  it("never retries auth failures", () => {
    for (const code of [Code.Unauthenticated, Code.PermissionDenied]) {
      const e = toSynodError(new ConnectError("no", code));
      expect([e.failure, e.retryable]).toEqual(["fatal", false]);
    }
  });

  it("maps cancellation and timeouts", () => {
    // A cancel the caller did not ask for is a reset stream or a lost session: retryable, outcome unknown.
    const reset = toSynodError(new ConnectError("http/2 stream closed with error code CANCEL (0x8)", Code.Canceled));
    expect([reset.kind, reset.failure, reset.retryable]).toEqual(["unavailable", "outcomeUnknown", true]);
    expect(toSynodError(new ConnectError("x", Code.DeadlineExceeded)).failure).toBe("outcomeUnknown");
  });

  it("classifies an abandoned attempt like a connection lost after sending, without a wire code", () => {
    const cause = new Error("aborted");
    const e = attemptTimeoutError("http://a:1", 500, cause);
    expect([e.kind, e.failure, e.retryable, e.code, e.peer]).toEqual(["unavailable", "outcomeUnknown", true, undefined, "http://a:1"]);
    expect(e.cause).toBe(cause);
    expect(e.message).toContain("500 ms");
  });

  it("covers every Connect code, only with known kinds", () => {
    for (let code = 1; code <= 16; code++) {
      expect(WIRE_ERROR_TABLE.some((r) => r.code === code), `code ${code}`).toBe(true);
    }
    for (const rule of WIRE_ERROR_TABLE) expect(ERROR_KINDS).toContain(rule.kind);
  });

  it("passes SynodErrors through and wraps non-errors", () => {
    const own = new SynodError({ kind: "invariant", message: "x", failure: "fatal", retryable: false });
    expect(toSynodError(own)).toBe(own);
    expect(toSynodError("boom")).toBeInstanceOf(SynodError);
  });
});
