/**
 * The client driver contract, version 1 (docs/conformance.md, "Client driver"):
 * how the runner drives any Synod client library, in any language, through a small
 * driver program.
 *
 * This file is the specification other implementers read, so it is one file with
 * every message and its rules side by side, longer than our usual 300 lines.
 *
 * ## Transport
 * The driver is a long-running process started with `sh -c <command>`. The runner
 * writes one JSON object per line on its stdin; the driver writes one JSON object per
 * line on its stdout (UTF-8, `\n`-terminated, no pretty-printing). Anything else the
 * driver wants to say (logs, stack traces) goes to stderr, which the runner keeps for
 * failed cases. A line on stdout that is not JSON is a driver bug.
 *
 * ## Requests and replies
 * Every request ({@link DriverRequest}) carries a numeric `id`, unique within the run.
 * The driver answers each exactly once, echoing the `id`, with either `ok` (the
 * operation's result) or `error` ({@link DriverReply}). Requests may be in flight
 * concurrently: the runner sends a second request before the first is answered
 * (background appends while a listener runs, a `cancel` while a call backs off), so
 * the driver must read stdin continuously and answer in completion order, not in
 * request order.
 *
 * ## Errors
 * An `error` reply is either a {@link ClientErrorJson}: the client library failed the
 * call the way an application would see it, mapped onto the SDK's closed set of kinds
 * and failure classes (sdk/src/core/synod-error.ts), which is what cases match; or a
 * {@link DriverFault}: the driver itself could not do what was asked (unknown op, bad
 * arguments, the library threw something outside its documented error type). A fault
 * fails the case as a harness error, never as a matched outcome.
 *
 * ## Numbers
 * 64-bit values (seqs, terms) are decimal strings in both directions, as in the
 * protobuf JSON mapping. Durations (`…Ms`) and counts are JSON numbers.
 *
 * ## Unsolicited messages
 * Besides replies the driver writes, without an `id`:
 * - {@link EventMessage}: one per event of the client (DESIGN §7), as it happens; the
 *   events {@link DriverEvents} marks required must be sent, as specified there;
 * - {@link ListenerBatchMessage}: one per batch a listener's iterator yields, in order;
 * - {@link ListenerEndMessage}: once when a listener's iteration ends.
 * Order on stdout is the order things happened: every batch of a listener precedes
 * its `end`, a listener's `end` precedes the reply to the `cancel` that ended it,
 * and an `attempt` event precedes what that attempt caused (the call's reply, the
 * batches of that listen connection). Nothing orders an event before the reply to
 * the request that started its call when that reply comes first: `listen` is
 * answered at once, so its first `attempt` may follow the reply (cases wait for it).
 *
 * ## Lifecycle
 * `hello`, then `connect` once, then any operations, then `close`. After replying to
 * `close` the driver exits with status 0. When stdin closes without a `close`, the
 * driver exits too. The runner kills the driver's process group when it does not
 * exit within a few seconds.
 */

/** Contract version this file describes; `hello` must answer it. */
export const driverContractVersion = 1;

/**
 * The closed set of error kinds (equal to the SDK's `ERROR_KINDS`; a unit test keeps
 * them equal). A driver for another library maps its errors onto these.
 */
export const clientErrorKinds = [
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

/** One of {@link clientErrorKinds}. */
export type ClientErrorKind = (typeof clientErrorKinds)[number];

/**
 * What a failure means for the request (DESIGN §6): `notExecuted` (the server did not
 * run it; anything may be resent), `outcomeUnknown` (it may have run; only idempotent
 * requests may be resent), `fatal` (resending cannot help).
 */
export const clientFailures = ["notExecuted", "outcomeUnknown", "fatal"] as const;

/** One of {@link clientFailures}. */
export type ClientFailure = (typeof clientFailures)[number];

/** A decimal string holding an unsigned 64-bit integer, such as `"42"`. */
export type DecimalString = string;

// ---------------------------------------------------------------------------
// Requests (runner → driver)

/** Backoff between attempts, ms: full jitter in `[0, min(capMs, baseMs·2^retry))`. */
export interface DriverBackoff {
  readonly baseMs: number;
  readonly capMs: number;
}

/** A retry budget shared by all calls of the client (a token bucket). */
export interface DriverRetryBudget {
  /** Bucket size. */
  readonly maxTokens: number;
  /** Tokens added per second. */
  readonly refillPerSecond: number;
}

/**
 * Client settings a case may choose. Every field is optional: absent means the
 * library's default. A driver for a library without some knob ignores it (and says
 * so on stderr); cases that depend on a knob say so in their description.
 */
export interface DriverClientOptions {
  /** Deadline of one call, all attempts and backoffs included, ms. */
  readonly timeoutMs?: number;
  /**
   * Longest wait for the answer to one attempt, ms (a positive integer; each attempt
   * gets the smaller of this and what is left of `timeoutMs`). An attempt that times
   * out may have run: appends retry with the same ids, unsafe writes fail
   * `outcomeUnknown`. Not applied to listen streams.
   */
  readonly attemptTimeoutMs?: number;
  /** NotLeader hints followed at once per call. */
  readonly maxRedirects?: number;
  readonly backoff?: DriverBackoff;
  /** `false` disables the budget. */
  readonly retryBudget?: false | DriverRetryBudget;
  /** Default listen heartbeat period asked of the server, ms. */
  readonly heartbeatMs?: number;
  /** A listen stream silent for this many heartbeat periods is reconnected. */
  readonly silenceFactor?: number;
  /** Period of the background peer refresh, ms; 0 disables it. */
  readonly refreshPeersMs?: number;
  /** HTTP version towards the nodes. */
  readonly httpVersion?: "1.1" | "2";
}

/** An entry to append. `id` absent means the client generates one (once, reused on every retry). */
export interface DriverEntryInput {
  readonly id?: string;
  readonly type: string;
  readonly content: string;
}

/** Answers with {@link HelloOk}. Sent first, before `connect`. */
export interface HelloRequest {
  readonly id: number;
  readonly op: "hello";
}

/** Creates the client under test. Answers with `{}` once it can take calls (it need not have contacted a node). */
export interface ConnectRequest {
  readonly id: number;
  readonly op: "connect";
  /** Seed peer URLs, `http://127.0.0.1:<port>`. At least one. */
  readonly peers: readonly string[];
  /** Bearer token sent on every call; absent means no `authorization` header. */
  readonly token?: string;
  readonly options?: DriverClientOptions;
}

/** Appends 1..1000 entries as one atomic batch. Answers with {@link AppendOk}. */
export interface AppendRequest {
  readonly id: number;
  readonly op: "append";
  readonly entries: readonly DriverEntryInput[];
  /** Default `majority`. */
  readonly writeConcern?: "majority" | "leader";
  /** Overrides the client's call deadline, ms. */
  readonly timeoutMs?: number;
}

/** Reads one page of committed entries. Answers with {@link ReadOk}. */
export interface ReadRequest {
  readonly id: number;
  readonly op: "read";
  /** Exclusive cursor; default `"0"`. */
  readonly afterSeq?: DecimalString;
  /** Page size 1..1000; absent means the server's default. */
  readonly limit?: number;
  readonly timeoutMs?: number;
}

/** HubService.Status of the leader or any peer. Answers with {@link StatusOk}. */
export interface StatusRequest {
  readonly id: number;
  readonly op: "status";
  readonly timeoutMs?: number;
}

/**
 * Registers a client name (admin token). Not idempotent: the client may resend it
 * only after a `notExecuted` failure ("no blind retry of unsafe calls", DESIGN §7).
 * Answers with {@link RegisterOk}.
 */
export interface RegisterRequest {
  readonly id: number;
  readonly op: "register";
  readonly name: string;
  readonly timeoutMs?: number;
}

/**
 * Starts a listener named `listener` (unique within the run) and answers `{}` at once,
 * before any batch. From then on the driver writes a {@link ListenerBatchMessage} for
 * every batch the library yields (heartbeats included) and finally one
 * {@link ListenerEndMessage}. The driver must consume batches promptly.
 */
export interface ListenRequest {
  readonly id: number;
  readonly op: "listen";
  readonly listener: string;
  /** Exclusive cursor to start after; default `"0"`. */
  readonly afterSeq?: DecimalString;
  /** Heartbeat period asked of the server, ms; absent means the client's default. */
  readonly heartbeatMs?: number;
}

/**
 * Cancels a listener through the library's cancellation (an AbortSignal for the
 * TypeScript SDK). Answers `{}` only once the listen loop has exited and its RPC was
 * aborted, after the listener's {@link ListenerEndMessage}. Cancelling a listener that
 * already ended answers `{}` at once.
 */
export interface CancelRequest {
  readonly id: number;
  readonly op: "cancel";
  readonly listener: string;
}

/**
 * Ends every listener (each writes its `end`), closes the client, answers `{}` and
 * exits with status 0. Calls still in flight are abandoned: they may never be answered.
 */
export interface CloseRequest {
  readonly id: number;
  readonly op: "close";
}

/** Every request. */
export type DriverRequest =
  | HelloRequest
  | ConnectRequest
  | AppendRequest
  | ReadRequest
  | StatusRequest
  | RegisterRequest
  | ListenRequest
  | CancelRequest
  | CloseRequest;

/** An operation name. */
export type DriverOp = DriverRequest["op"];

/** Every operation name, in the order documented above. */
export const driverOps: readonly DriverOp[] = ["hello", "connect", "append", "read", "status", "register", "listen", "cancel", "close"];

// ---------------------------------------------------------------------------
// Replies (driver → runner)

/** The `ok` of `hello`. */
export interface HelloOk {
  /** For the report, such as `@synod/sdk 0.1.0 (node)`. */
  readonly implementation: string;
  readonly contract: typeof driverContractVersion;
}

/** The `ok` of `append`: one result per entry, in request order. */
export interface AppendOk {
  readonly results: readonly {
    readonly id: string;
    readonly seq: DecimalString;
    /** True when the id was already in the log; `seq` is then the original one. */
    readonly duplicate: boolean;
  }[];
}

/** A committed entry as `read` returns it. */
export interface DriverEntry {
  readonly seq: DecimalString;
  readonly id: string;
  readonly type: string;
  readonly content: string;
  /** The client name bound to the token that appended it. */
  readonly origin: string;
  readonly term: DecimalString;
}

/** The `ok` of `read`. */
export interface ReadOk {
  readonly entries: readonly DriverEntry[];
  /** The page covers every seq up to here. */
  readonly throughSeq: DecimalString;
  readonly commitSeq: DecimalString;
  readonly hasMore: boolean;
}

/** The `ok` of `status`. */
export interface StatusOk {
  readonly nodeId: string;
  /** `leader`, `follower`, `learner`, `candidate`, `offline` or `unspecified`. */
  readonly role: string;
  readonly term: DecimalString;
  readonly leaderId: string;
  readonly leaderUrl: string;
  readonly commitSeq: DecimalString;
  readonly hasQuorum: boolean;
  readonly members: readonly { readonly nodeId: string; readonly role: string; readonly clientUrl: string }[];
}

/** The `ok` of `register`. */
export interface RegisterOk {
  /** The secret, shown once. */
  readonly token: string;
  readonly tokenId: string;
  readonly name: string;
}

/**
 * A call failed the way the library reports it to an application. Cases match on
 * `kind` and `failure`; the rest helps reading a failed case.
 */
export interface ClientErrorJson {
  readonly kind: ClientErrorKind;
  readonly failure: ClientFailure;
  /** True when the library itself would send the same request again. */
  readonly retryable: boolean;
  /** The Connect code name (`unavailable`, `deadline_exceeded`, …) when the error came from the wire. */
  readonly code?: string;
  readonly message: string;
  /** For `notLeader`: the hint; empty strings and `"0"` when no leader is known. */
  readonly notLeader?: { readonly leaderId: string; readonly leaderUrl: string; readonly term: DecimalString };
  /** For `overloaded`: the server's pushback, ms. */
  readonly retryAfterMs?: number;
  /** For `compacted`: the oldest seq the node keeps. */
  readonly earliestSeq?: DecimalString;
}

/** The driver could not carry out the request; fails the case as a harness error. */
export interface DriverFault {
  readonly fault: string;
}

/** A reply: exactly one per request. */
export type DriverReply =
  | { readonly id: number; readonly ok: unknown }
  | { readonly id: number; readonly error: ClientErrorJson | DriverFault };

// ---------------------------------------------------------------------------
// Unsolicited messages (driver → runner)

/**
 * Payloads of the events a client reports (DESIGN §7), by name.
 *
 * **Required**: `attempt`, `redirect`, `backoff` and `resume`. Cases count them, read
 * their fields and compare them with what the fake servers received, so a driver
 * must send each one exactly as specified on its member below, and the client must
 * behave as they say (a reported wait is really waited). A library that does not
 * emit them itself needs a driver that can observe the same moments (its transport
 * hooks, its retry callbacks); each case's description names the events it uses.
 *
 * **Optional**: `failover`, `peers` and `giveUp`: no case depends on them; a driver
 * sends what its library has.
 *
 * **Spelling.** `method` is the RPC's name in proto/synod/v1, as the fake servers'
 * scripts write it: `Append`, `Read`, `Status`, `Register`, `Revoke`, `List`,
 * `Listen` (HubService) and `ClusterStatus` (ClusterService.Status). `peer`, `from`
 * and `to` are node URLs, each exactly one of the `connect.peers` strings, the
 * `leader_url` of a NotLeader hint or a member's `client_url` from a Status answer,
 * as received: cases map them to nodes and fake servers by string equality. (The
 * runner's URLs never end in `/`, so a client that drops a trailing slash complies.)
 */
export interface DriverEvents {
  /**
   * Required. One per attempt of a call and per connection of a listener, written
   * when it starts (before its reply or batches), even if the connection is then
   * refused. `attempt` counts from 1 per call or listener; `peer` is where it goes.
   */
  readonly attempt: { readonly method: string; readonly kind: "read" | "append" | "write" | "listen"; readonly attempt: number; readonly peer: string };
  /**
   * Required. One per NotLeader hint the client follows without waiting, written
   * before the attempt it leads to: `from` sent the hint, `to` is the hinted URL and
   * `term` the hint's term.
   */
  readonly redirect: { readonly method: string; readonly from: string; readonly to: string; readonly term: DecimalString };
  /**
   * Required. One per wait before a retry or a reconnect, written before the wait:
   * `delayMs` is what the client is about to wait (its backoff or a server's
   * pushback, whichever is longer), and it waits at least that long. Every retry and
   * reconnect that does not follow a `redirect` is announced by at least one
   * (`delayMs: 0` when it does not wait; one per wait when it waits several times,
   * say for the retry budget). `attempt` is the attempt that failed, `peer` its URL.
   */
  readonly backoff: { readonly method: string; readonly delayMs: number; readonly attempt: number; readonly reason: ClientErrorKind; readonly peer: string };
  /** Optional. The believed leader changed or was lost (`to` is "" while unknown). */
  readonly failover: { readonly from: string; readonly to: string; readonly term: DecimalString };
  /**
   * Required. One per reconnect of a listener (each connection but its first), with
   * the `attempt` event of that connection: it resumes after `afterSeq` at `peer`.
   */
  readonly resume: { readonly afterSeq: DecimalString; readonly peer: string };
  /** Optional. The peer list changed. */
  readonly peers: { readonly peers: readonly string[] };
  /** Optional. A call or listener stops retrying and fails with `error`. */
  readonly giveUp: { readonly method: string; readonly attempts: number; readonly error: ClientErrorJson };
}

/** An event name. */
export type DriverEventName = keyof DriverEvents;

/** Every event name. */
export const driverEventNames: readonly DriverEventName[] = ["attempt", "redirect", "backoff", "failover", "resume", "peers", "giveUp"];

/** `{"event": name, "data": {...}, "atMs": n}`: an event, `atMs` after `connect` was received. */
export interface EventMessage<E extends DriverEventName = DriverEventName> {
  readonly event: E;
  readonly data: DriverEvents[E];
  /** Milliseconds since the driver received `connect` (monotonic clock). */
  readonly atMs: number;
}

/** One batch as a listener yielded it: it covers `(afterSeq, throughSeq]`. */
export interface DriverBatch {
  readonly afterSeq: DecimalString;
  /** Equal to `afterSeq` for a heartbeat. */
  readonly throughSeq: DecimalString;
  /** The entries, in the order yielded. */
  readonly entries: readonly { readonly seq: DecimalString; readonly id: string }[];
}

/** `{"listener": name, "batch": {...}}`: a listener yielded a batch. */
export interface ListenerBatchMessage {
  readonly listener: string;
  readonly batch: DriverBatch;
}

/**
 * `{"listener": name, "end": {}}`: the iteration finished normally;
 * `{"listener": name, "end": {"error": {...}}}`: it ended with the library's error
 * (`cancelled` after a `cancel`); `{"listener": name, "end": {"fault": "..."}}`: the
 * driver failed (as {@link DriverFault}).
 */
export interface ListenerEndMessage {
  readonly listener: string;
  readonly end: { readonly error?: ClientErrorJson; readonly fault?: string };
}

/** Every message without an `id`. */
export type DriverMessage = EventMessage | ListenerBatchMessage | ListenerEndMessage;
