/**
 * Operating errors of a hub node: typed values that someone can act on
 * (CONVENTIONS, "Two kinds of error"). They become wire errors in exactly one
 * place, `rpc/error-table.ts`. Broken invariants are `assert`s, never these.
 */

/** A field that failed validation, with a path such as `entries[3].content`. */
export interface FieldViolation {
  readonly field: string;
  readonly description: string;
}

/** Every kind of operating error a hub node reports. */
export type HubErrorDetail =
  | { readonly kind: "notLeader"; readonly leaderId: string; readonly leaderUrl: string; readonly term: bigint }
  | { readonly kind: "overloaded"; readonly retryAfterMs: number }
  | { readonly kind: "storageFull"; readonly reason: string }
  | { readonly kind: "compacted"; readonly earliestSeq: bigint }
  | { readonly kind: "invalidArgument"; readonly violations: readonly FieldViolation[] }
  | { readonly kind: "unauthenticated" }
  | { readonly kind: "permissionDenied" }
  | { readonly kind: "notFound" }
  | { readonly kind: "alreadyExists" }
  | { readonly kind: "failedPrecondition" }
  | { readonly kind: "deadlineExceeded" }
  | { readonly kind: "unimplemented" }
  | { readonly kind: "unavailable" };

/** The discriminant of {@link HubErrorDetail}. */
export type HubErrorKind = HubErrorDetail["kind"];

/** An operating error raised by the hub; `detail.kind` says what the client may do. */
export class HubError extends Error {
  override readonly name = "HubError";
  constructor(
    readonly detail: HubErrorDetail,
    message: string,
  ) {
    super(message);
  }
}

/** Builds the `invalidArgument` error for a list of violations. */
export function invalidArgument(violations: readonly FieldViolation[]): HubError {
  const first = violations[0];
  const summary = first ? `${first.field}: ${first.description}` : "invalid request";
  const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : "";
  return new HubError({ kind: "invalidArgument", violations }, summary + more);
}
