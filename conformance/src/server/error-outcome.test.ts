import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, NotLeaderSchema, RetryInfoSchema } from "@synod/proto/errors";
import { describe, expect, it } from "vitest";
import { codeName, errorOutcome, rpcErrorValue } from "./error-outcome.js";

describe("rpcErrorValue", () => {
  it("names codes as the Connect protocol does", () => {
    expect(codeName(Code.InvalidArgument)).toBe("invalid_argument");
    expect(codeName(Code.DeadlineExceeded)).toBe("deadline_exceeded");
    expect(codeName(Code.Unavailable)).toBe("unavailable");
  });

  it("decodes a NotLeader detail, with the term as a decimal string", () => {
    const err = new ConnectError("not the leader", Code.Unavailable, undefined, [
      { desc: NotLeaderSchema, value: { leaderId: "n2", leaderUrl: "http://127.0.0.1:9", term: 18446744073709551615n } },
    ]);
    expect(rpcErrorValue(err)).toEqual({
      code: "unavailable",
      message: "not the leader",
      notLeader: { leaderId: "n2", leaderUrl: "http://127.0.0.1:9", term: "18446744073709551615" },
    });
  });

  it("keeps an empty hint distinct from no hint", () => {
    const empty = new ConnectError("no leader", Code.Unavailable, undefined, [{ desc: NotLeaderSchema, value: {} }]);
    expect(rpcErrorValue(empty).notLeader).toEqual({ leaderId: "", leaderUrl: "", term: "0" });
    expect(rpcErrorValue(new ConnectError("fail point", Code.Unavailable))).not.toHaveProperty("notLeader");
  });

  it("decodes BadRequest and RetryInfo", () => {
    const err = new ConnectError("bad", Code.InvalidArgument, undefined, [
      { desc: BadRequestSchema, value: { fieldViolations: [{ field: "entries[0].type", description: "unknown" }] } },
      { desc: RetryInfoSchema, value: { retryAfterMs: 250 } },
    ]);
    expect(rpcErrorValue(err)).toMatchObject({ code: "invalid_argument", fieldViolations: [{ field: "entries[0].type", description: "unknown" }], retryAfterMs: 250 });
  });

  it("turns anything else thrown into an error outcome (code unknown), never an ok", () => {
    expect(errorOutcome(new Error("socket hang up"))).toEqual({ error: { code: "unknown", message: "socket hang up" } });
  });
});
