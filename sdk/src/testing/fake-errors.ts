import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  BadRequestSchema,
  CompactedSchema,
  NotLeaderSchema,
  RetryInfoSchema,
  StorageFullSchema,
} from "@synod/proto/errors";

// Wire errors as a Synod server sends them (DESIGN §6), for fakes and tests.

/** `unavailable` + NotLeader; empty fields mean no leader is known. */
export function notLeaderError(leaderId: string, leaderUrl: string, term: bigint): ConnectError {
  return new ConnectError("not the leader", Code.Unavailable, undefined, [
    { desc: NotLeaderSchema, value: create(NotLeaderSchema, { leaderId, leaderUrl, term }) },
  ]);
}

/** `resource_exhausted` + RetryInfo. */
export function overloadedError(retryAfterMs: number): ConnectError {
  return new ConnectError("overloaded", Code.ResourceExhausted, undefined, [
    { desc: RetryInfoSchema, value: create(RetryInfoSchema, { retryAfterMs }) },
  ]);
}

/** `resource_exhausted` + StorageFull. */
export function storageFullError(reason = "disk full"): ConnectError {
  return new ConnectError(reason, Code.ResourceExhausted, undefined, [
    { desc: StorageFullSchema, value: create(StorageFullSchema, { reason }) },
  ]);
}

/** `out_of_range` + Compacted. */
export function compactedError(earliestSeq: bigint): ConnectError {
  return new ConnectError("cursor compacted", Code.OutOfRange, undefined, [
    { desc: CompactedSchema, value: create(CompactedSchema, { earliestSeq }) },
  ]);
}

/** `invalid_argument` + BadRequest. */
export function badRequestError(field: string, description: string): ConnectError {
  return new ConnectError(`${field}: ${description}`, Code.InvalidArgument, undefined, [
    { desc: BadRequestSchema, value: create(BadRequestSchema, { fieldViolations: [{ field, description }] }) },
  ]);
}

/** What connect-node raises when nothing listens on the port: nothing was sent. */
export function connectionRefusedError(url: string): ConnectError {
  const cause = Object.assign(new Error(`connect ECONNREFUSED ${url}`), { code: "ECONNREFUSED" });
  return new ConnectError(cause.message, Code.Unavailable, undefined, undefined, cause);
}

/** A connection lost after the request was sent: the outcome is unknown. */
export function connectionLostError(): ConnectError {
  const cause = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
  return new ConnectError("connection lost", Code.Unavailable, undefined, undefined, cause);
}
