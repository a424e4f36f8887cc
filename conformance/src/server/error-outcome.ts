/**
 * RPC errors as outcomes (DESIGN §6, "Errors: every error says what the client may
 * do"): the Connect code in snake_case, the message, and each Synod error detail
 * decoded, so a case can expect `{error: {code: unavailable, notLeader: {…}}}`.
 */
import { ConnectError, type Code } from "@connectrpc/connect";
import { codeToString } from "@connectrpc/connect/protocol-connect";
import { BadRequestSchema, CompactedSchema, NotLeaderSchema, RetryInfoSchema, StorageFullSchema } from "@synod/proto/errors";
import type { Outcome } from "../case-format/case-types.js";
import { plainJson, type PlainJson } from "./plain-json.js";

/** The `error` value of an RPC that failed. Absent members mean the detail was not sent. */
export interface RpcErrorValue {
  /** Connect code name as on the wire: `unavailable`, `invalid_argument`, `deadline_exceeded`, … */
  readonly code: string;
  /** The server's message (without the `[code]` prefix). */
  readonly message: string;
  /** NotLeader: empty `leaderId` and `leaderUrl` mean no leader is known. `term` is a decimal string. */
  readonly notLeader?: { readonly leaderId: string; readonly leaderUrl: string; readonly term: string };
  /** RetryInfo. */
  readonly retryAfterMs?: number;
  /** StorageFull. */
  readonly storageFull?: { readonly reason: string };
  /** Compacted: the earliest seq the node keeps, as a decimal string. */
  readonly compacted?: { readonly earliestSeq: string };
  /** BadRequest, in the order sent. */
  readonly fieldViolations?: readonly { readonly field: string; readonly description: string }[];
}

/** The code name of a Connect code, as the Connect protocol spells it (`invalid_argument`). */
export function codeName(code: Code): string {
  return codeToString(code);
}

/** Decodes any thrown value (a ConnectError or not) into an {@link RpcErrorValue}. */
export function rpcErrorValue(err: unknown): RpcErrorValue {
  const e = ConnectError.from(err);
  const notLeader = e.findDetails(NotLeaderSchema)[0];
  const retry = e.findDetails(RetryInfoSchema)[0];
  const storage = e.findDetails(StorageFullSchema)[0];
  const compacted = e.findDetails(CompactedSchema)[0];
  const bad = e.findDetails(BadRequestSchema)[0];
  return {
    code: codeName(e.code),
    message: e.rawMessage,
    ...(notLeader ? { notLeader: { leaderId: notLeader.leaderId, leaderUrl: notLeader.leaderUrl, term: notLeader.term.toString() } } : {}),
    ...(retry ? { retryAfterMs: retry.retryAfterMs } : {}),
    ...(storage ? { storageFull: { reason: storage.reason } } : {}),
    ...(compacted ? { compacted: { earliestSeq: compacted.earliestSeq.toString() } } : {}),
    ...(bad ? { fieldViolations: bad.fieldViolations.map((v) => ({ field: v.field, description: v.description })) } : {}),
  };
}

/** The `{error: …}` outcome of a thrown value. */
export function errorOutcome(err: unknown): Outcome {
  return { error: plainJson(rpcErrorValue(err)) as PlainJson };
}
