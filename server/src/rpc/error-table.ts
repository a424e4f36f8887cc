/**
 * The one table that maps hub operating errors to wire errors (DESIGN §6,
 * "Errors: every error says what the client may do"). The SDK keeps the
 * mirror of this table; the conformance suite checks both against each other.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import {
  BadRequestSchema,
  CompactedSchema,
  NotLeaderSchema,
  RetryInfoSchema,
  StorageFullSchema,
} from "@synod/proto/errors";
import { HubError, type HubErrorDetail } from "../hub-error.js";

/** A detail message as ConnectError takes it. */
type OutgoingDetail = NonNullable<ConstructorParameters<typeof ConnectError>[3]>[number];

type Row<K extends HubErrorDetail["kind"]> = {
  readonly code: Code;
  readonly details: (d: Extract<HubErrorDetail, { kind: K }>) => OutgoingDetail[];
};

const none = (): OutgoingDetail[] => [];

/** Kind → Connect code and detail messages. */
export const errorTable: { readonly [K in HubErrorDetail["kind"]]: Row<K> } = {
  notLeader: {
    code: Code.Unavailable,
    details: (d) => [
      { desc: NotLeaderSchema, value: { leaderId: d.leaderId, leaderUrl: d.leaderUrl, term: d.term } },
    ],
  },
  overloaded: {
    code: Code.ResourceExhausted,
    details: (d) => [{ desc: RetryInfoSchema, value: { retryAfterMs: d.retryAfterMs } }],
  },
  storageFull: {
    code: Code.ResourceExhausted,
    details: (d) => [{ desc: StorageFullSchema, value: { reason: d.reason } }],
  },
  compacted: {
    code: Code.OutOfRange,
    details: (d) => [{ desc: CompactedSchema, value: { earliestSeq: d.earliestSeq } }],
  },
  invalidArgument: {
    code: Code.InvalidArgument,
    details: (d) => [
      { desc: BadRequestSchema, value: { fieldViolations: d.violations.map((v) => ({ ...v })) } },
    ],
  },
  unauthenticated: { code: Code.Unauthenticated, details: none },
  permissionDenied: { code: Code.PermissionDenied, details: none },
  notFound: { code: Code.NotFound, details: none },
  alreadyExists: { code: Code.AlreadyExists, details: none },
  failedPrecondition: { code: Code.FailedPrecondition, details: none },
  deadlineExceeded: { code: Code.DeadlineExceeded, details: none },
  unimplemented: { code: Code.Unimplemented, details: none },
  unavailable: { code: Code.Unavailable, details: none },
};

/** Converts a HubError to the ConnectError the client sees. */
export function toConnectError(err: HubError): ConnectError {
  const row = errorTable[err.detail.kind] as Row<HubErrorDetail["kind"]>;
  return new ConnectError(err.message, row.code, undefined, row.details(err.detail as never));
}

/**
 * Maps anything a handler threw: HubErrors through the table, ConnectErrors
 * as they are, anything else as `internal` (the cause stays server-side).
 */
export function wireError(err: unknown): ConnectError {
  if (err instanceof HubError) return toConnectError(err);
  if (err instanceof ConnectError) return err;
  return new ConnectError("internal error", Code.Internal, undefined, undefined, err);
}
