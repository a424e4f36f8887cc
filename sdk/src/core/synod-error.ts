import { Code } from "@connectrpc/connect";
import type { Seq, Term } from "./seq.js";

/**
 * The closed set of error kinds the SDK raises. Each says what a caller may do
 * (DESIGN §6); {@link SynodError.retryable} answers the same for code.
 */
export const ERROR_KINDS = [
  "notLeader",
  "unavailable",
  "overloaded",
  "storageFull",
  "compacted",
  "invalidArgument",
  "failedPrecondition",
  "alreadyExists",
  "unauthenticated",
  "permissionDenied",
  "notFound",
  "unimplemented",
  "deadlineExceeded",
  "cancelled",
  "outcomeUnknown",
  "retryBudgetExhausted",
  "invariant",
  "internal",
] as const;

/** One of {@link ERROR_KINDS}. */
export type ErrorKind = (typeof ERROR_KINDS)[number];

/**
 * What a failed attempt means for the request (DESIGN §6 last column):
 * - `notExecuted`: the server did not run it (NotLeader, refused connection, pushback);
 *   any request may be sent again.
 * - `outcomeUnknown`: it may or may not have run (connection lost after sending,
 *   attempt timeout); only requests that are safe to repeat may be sent again.
 * - `fatal`: sending it again cannot help (bad input, bad token, cancelled).
 */
export type Failure = "notExecuted" | "outcomeUnknown" | "fatal";

/** The leader hint of a NotLeader error. Empty strings mean no leader is known. */
export interface NotLeaderHint {
  readonly leaderId: string;
  /** The leader's client URL (normalized), or "" when unknown. */
  readonly leaderUrl: string;
  readonly term: Term;
}

/** One wrong field of a request, from the BadRequest detail. */
export interface FieldViolation {
  /** Path of the field, such as `entries[3].content`. */
  readonly field: string;
  readonly description: string;
}

/** Typed details decoded from the wire error (each present only for its kinds). */
export interface SynodErrorDetails {
  /** For `notLeader`. */
  readonly notLeader?: NotLeaderHint;
  /** For `overloaded`: retry no sooner than this many ms. */
  readonly retryAfterMs?: number;
  /** For `invalidArgument`. */
  readonly fieldViolations?: readonly FieldViolation[];
  /** For `compacted`: the oldest seq the node still keeps. */
  readonly earliestSeq?: Seq;
  /** For `storageFull`: why the leader cannot write. */
  readonly storageReason?: string;
}

/** Constructor fields of a {@link SynodError}. */
export interface SynodErrorInit {
  readonly kind: ErrorKind;
  readonly message: string;
  readonly failure: Failure;
  readonly retryable: boolean;
  readonly code?: Code | undefined;
  readonly details?: SynodErrorDetails;
  /** The peer URL that answered (or failed), when there was one. */
  readonly peer?: string | undefined;
  readonly cause?: unknown;
}

/**
 * The only error type the SDK throws. `kind` is from a closed set, `retryable`
 * says whether the SDK itself would send the request again, `code` is the
 * Connect code when the error came from the wire, and `details` carries the
 * typed error details (DESIGN §6).
 */
export class SynodError extends Error {
  override readonly name = "SynodError";
  /** What went wrong, from {@link ERROR_KINDS}. */
  readonly kind: ErrorKind;
  /** What the failure means for the request. */
  readonly failure: Failure;
  /** True when repeating the same request could succeed (for some requests, see `failure`). */
  readonly retryable: boolean;
  /** The Connect code, or undefined for errors raised by the SDK itself. */
  readonly code: Code | undefined;
  /** Typed details; empty when there are none. */
  readonly details: SynodErrorDetails;
  /** The peer URL involved, if any. */
  readonly peer: string | undefined;

  constructor(init: SynodErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.failure = init.failure;
    this.retryable = init.retryable;
    this.code = init.code;
    this.details = init.details ?? {};
    this.peer = init.peer;
  }
}

/** True when `value` is a {@link SynodError}, optionally of the given kind. */
export function isSynodError(value: unknown, kind?: ErrorKind): value is SynodError {
  return value instanceof SynodError && (kind === undefined || value.kind === kind);
}

/**
 * Builds the non-retryable `invariant` error: the server broke a promise the
 * protocol makes (CONVENTIONS "Two kinds of error").
 */
export function invariantError(message: string, peer?: string): SynodError {
  return new SynodError({ kind: "invariant", message, failure: "fatal", retryable: false, peer });
}

/** Wraps a final error of a call into a different kind (deadline, budget, outcome). */
export function wrapError(kind: ErrorKind, message: string, cause: SynodError): SynodError {
  const failure: Failure = cause.failure === "outcomeUnknown" ? "outcomeUnknown" : "fatal";
  return new SynodError({
    kind,
    message: `${message}: ${cause.message}`,
    failure,
    retryable: false,
    code: kind === "deadlineExceeded" ? Code.DeadlineExceeded : cause.code,
    details: cause.details,
    peer: cause.peer,
    cause,
  });
}
