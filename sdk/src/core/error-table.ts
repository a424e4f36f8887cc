import { Code, ConnectError } from "@connectrpc/connect";
import {
  BadRequestSchema,
  CompactedSchema,
  NotLeaderSchema,
  RetryInfoSchema,
  StorageFullSchema,
} from "@synod/proto/errors";
import { normalizePeerUrl } from "./peer-url.js";
import { asSeq, asTerm } from "./seq.js";
import { SynodError, type ErrorKind, type Failure, type SynodErrorDetails } from "./synod-error.js";

/** A fact about a wire error, beyond its code, that a table row can require. */
export type WireSignal =
  | "notLeader"
  | "storageFull"
  | "connectionRefused";

/** One row of the wire error table. */
export interface WireErrorRule {
  readonly code: Code;
  /** The row applies only when the error shows this signal; absent matches any. */
  readonly signal?: WireSignal;
  readonly kind: ErrorKind;
  readonly failure: Failure;
  readonly retryable: boolean;
}

/**
 * THE mapping from wire errors (Connect code + detail) to SDK kinds and failure
 * classes; DESIGN §6 "Errors: every error says what the client may do". Rows are
 * tried in order; the first whose code matches and whose signal (if any) is present
 * wins. Nothing else in the SDK decides what a wire error means.
 */
export const WIRE_ERROR_TABLE: readonly WireErrorRule[] = [
  // Followers and leaderless nodes refuse before executing.
  { code: Code.Unavailable, signal: "notLeader", kind: "notLeader", failure: "notExecuted", retryable: true },
  // Nothing was sent: the connection was never made.
  { code: Code.Unavailable, signal: "connectionRefused", kind: "unavailable", failure: "notExecuted", retryable: true },
  // HTTP/2 REFUSED_STREAM (RFC 9113 §8.7: the server did no processing), e.g.
  // a stream opened after a stopping node's GOAWAY; connect-node says internal.
  { code: Code.Internal, signal: "connectionRefused", kind: "unavailable", failure: "notExecuted", retryable: true },
  // Lost after sending: the request may have run.
  { code: Code.Unavailable, kind: "unavailable", failure: "outcomeUnknown", retryable: true },
  { code: Code.ResourceExhausted, signal: "storageFull", kind: "storageFull", failure: "notExecuted", retryable: true },
  { code: Code.ResourceExhausted, kind: "overloaded", failure: "notExecuted", retryable: true },
  // Never skip silently past compacted entries: the application must decide.
  { code: Code.OutOfRange, kind: "compacted", failure: "fatal", retryable: false },
  { code: Code.InvalidArgument, kind: "invalidArgument", failure: "fatal", retryable: false },
  { code: Code.FailedPrecondition, kind: "failedPrecondition", failure: "fatal", retryable: false },
  { code: Code.AlreadyExists, kind: "alreadyExists", failure: "fatal", retryable: false },
  // The same token fails on every peer: never retry elsewhere.
  { code: Code.Unauthenticated, kind: "unauthenticated", failure: "fatal", retryable: false },
  { code: Code.PermissionDenied, kind: "permissionDenied", failure: "fatal", retryable: false },
  { code: Code.NotFound, kind: "notFound", failure: "fatal", retryable: false },
  { code: Code.Unimplemented, kind: "unimplemented", failure: "fatal", retryable: false },
  { code: Code.DeadlineExceeded, kind: "deadlineExceeded", failure: "outcomeUnknown", retryable: true },
  // A cancel the caller did not ask for: the peer reset the HTTP/2 stream, or
  // the session died (Node closes a destroyed session's streams with CANCEL).
  // The call and listen layers report the caller's own abort as `cancelled`
  // before they consult this table.
  { code: Code.Canceled, kind: "unavailable", failure: "outcomeUnknown", retryable: true },
  // Connect reports a reset connection as aborted (connect-node node-error).
  { code: Code.Aborted, kind: "unavailable", failure: "outcomeUnknown", retryable: true },
  // A failed fetch (browsers) or a broken HTTP/2 stream (Node): sent, outcome unknown.
  { code: Code.Unknown, kind: "internal", failure: "outcomeUnknown", retryable: true },
  { code: Code.Internal, kind: "internal", failure: "outcomeUnknown", retryable: true },
  { code: Code.DataLoss, kind: "internal", failure: "fatal", retryable: false },
];

/**
 * The one row for a failure that has no wire error: an attempt the SDK itself
 * abandoned after the client's `attemptTimeoutMs` (DESIGN §7). The request was
 * (or may have been) sent and nothing came back, so it may have run: the
 * outcome is unknown, exactly as for a connection lost after sending. The peer
 * did not answer in time, so the kind is `unavailable`: the retry policy then
 * avoids that peer for the rest of the call and forgets it as leader, appends
 * go to another node with the same ids, and writes that are not safe to repeat
 * fail with `outcomeUnknown`.
 */
export const ATTEMPT_TIMEOUT_RULE = {
  kind: "unavailable",
  failure: "outcomeUnknown",
  retryable: true,
} as const satisfies Omit<WireErrorRule, "code" | "signal">;

/**
 * The error of an attempt abandoned after `timeoutMs` without an answer, per
 * {@link ATTEMPT_TIMEOUT_RULE}. It has no Connect code: the SDK raised it.
 *
 * @param peer the URL the attempt went to.
 * @param timeoutMs how long the attempt was given, in ms.
 * @param cause what the transport threw when the attempt was aborted, if anything.
 */
export function attemptTimeoutError(peer: string, timeoutMs: number, cause?: unknown): SynodError {
  return new SynodError({
    ...ATTEMPT_TIMEOUT_RULE,
    message: `no answer from ${peer} within ${timeoutMs} ms`,
    peer,
    cause,
  });
}

/** Socket error codes that prove a request never left the client. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** Finds the table row for a code and the signals an error shows. */
export function lookupWireError(code: Code, signals: ReadonlySet<WireSignal>): WireErrorRule {
  for (const rule of WIRE_ERROR_TABLE) {
    if (rule.code === code && (rule.signal === undefined || signals.has(rule.signal))) return rule;
  }
  // Code.OK or an unknown number: a protocol violation, treated as internal.
  return { code, kind: "internal", failure: "outcomeUnknown", retryable: true };
}

/**
 * Converts anything thrown by a transport or a handler into a {@link SynodError}
 * using {@link WIRE_ERROR_TABLE}. A SynodError passes through unchanged.
 *
 * @param peer the URL the attempt went to, recorded on the error.
 */
export function toSynodError(error: unknown, peer?: string): SynodError {
  if (error instanceof SynodError) return error;
  const ce = ConnectError.from(error);
  const details = decodeDetails(ce);
  const signals = new Set<WireSignal>();
  if (details.notLeader !== undefined) signals.add("notLeader");
  if (details.storageReason !== undefined) signals.add("storageFull");
  if (wasNeverSent(ce)) signals.add("connectionRefused");
  const rule = lookupWireError(ce.code, signals);
  return new SynodError({
    kind: rule.kind,
    message: ce.rawMessage || ce.message,
    failure: rule.failure,
    retryable: rule.retryable,
    code: ce.code,
    details,
    peer,
    cause: error,
  });
}

function decodeDetails(ce: ConnectError): SynodErrorDetails {
  const out: { -readonly [K in keyof SynodErrorDetails]: SynodErrorDetails[K] } = {};
  const notLeader = ce.findDetails(NotLeaderSchema)[0];
  if (notLeader !== undefined) {
    out.notLeader = {
      leaderId: notLeader.leaderId,
      leaderUrl: safeUrl(notLeader.leaderUrl),
      term: asTerm(notLeader.term),
    };
  }
  const retryInfo = ce.findDetails(RetryInfoSchema)[0];
  if (retryInfo !== undefined) out.retryAfterMs = retryInfo.retryAfterMs;
  const badRequest = ce.findDetails(BadRequestSchema)[0];
  if (badRequest !== undefined) {
    out.fieldViolations = badRequest.fieldViolations.map((v) => ({ field: v.field, description: v.description }));
  }
  const compacted = ce.findDetails(CompactedSchema)[0];
  if (compacted !== undefined) out.earliestSeq = asSeq(compacted.earliestSeq);
  const storage = ce.findDetails(StorageFullSchema)[0];
  if (storage !== undefined) out.storageReason = storage.reason;
  return out;
}

function safeUrl(url: string): string {
  try {
    return url === "" ? "" : normalizePeerUrl(url);
  } catch {
    return "";
  }
}

/** Walks the cause chain for a socket error code that proves nothing was sent. */
function wasNeverSent(ce: ConnectError): boolean {
  if (ce.code !== Code.Unavailable && ce.code !== Code.Internal) return false;
  let current: unknown = ce;
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (ce.code === Code.Unavailable && typeof code === "string" && NOT_SENT_CODES.has(code)) return true;
    const message = (current as { message?: unknown }).message;
    if (typeof message === "string" && message.includes("NGHTTP2_REFUSED_STREAM")) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
