/**
 * Messages exchanged between Raft cores (thesis §3.4–§3.6, §6.4, §9.6). The core
 * emits them in a Ready and receives them through `step`; the runtime carries them.
 */
import type { LogRecord, NodeId, RaftIndex, Term } from "./types.js";

interface MessageBase {
  readonly from: NodeId;
  readonly to: NodeId;
  /** The sender's term; for a pre-vote request, the term it would campaign in (§9.6). */
  readonly term: Term;
}

/** RequestVote, or a pre-vote probe when `pre` is set (thesis §3.4, §9.6). */
export interface VoteRequest extends MessageBase {
  readonly type: "vote";
  readonly pre: boolean;
  /** Set when the campaign follows TimeoutNow, so the leader lease does not apply (§3.10). */
  readonly transfer: boolean;
  readonly lastIndex: RaftIndex;
  readonly lastTerm: Term;
}

/** The answer to a VoteRequest. */
export interface VoteResponse extends MessageBase {
  readonly type: "voteResp";
  readonly pre: boolean;
  readonly granted: boolean;
}

/** AppendEntries (thesis §3.5). `records` may be empty (it then only carries `commit`). */
export interface AppendRequest extends MessageBase {
  readonly type: "append";
  readonly prevIndex: RaftIndex;
  readonly prevTerm: Term;
  readonly records: readonly LogRecord[];
  readonly commit: RaftIndex;
}

/**
 * The answer to an AppendRequest. On success `index` is the last index now known to
 * match the leader. On rejection `index` is the rejected `prevIndex`, and
 * (`hintIndex`, `hintTerm`) let the leader skip a whole conflicting term (§3.5).
 */
export interface AppendResponse extends MessageBase {
  readonly type: "appendResp";
  readonly success: boolean;
  readonly index: RaftIndex;
  readonly hintIndex: RaftIndex;
  readonly hintTerm: Term;
}

/**
 * A heartbeat. `commit` is capped at what the follower is known to hold. `readSeq`
 * tags the round so read-index requests can be confirmed by its acks (§6.4).
 */
export interface HeartbeatRequest extends MessageBase {
  readonly type: "heartbeat";
  readonly commit: RaftIndex;
  readonly readSeq: number;
}

/** The answer to a heartbeat, echoing its `readSeq`. */
export interface HeartbeatResponse extends MessageBase {
  readonly type: "heartbeatResp";
  readonly readSeq: number;
}

/** Tells a caught-up follower to start an election at once (leadership transfer, §3.10). */
export interface TimeoutNow extends MessageBase {
  readonly type: "timeoutNow";
}

/** Any message between cores. */
export type Message =
  | VoteRequest
  | VoteResponse
  | AppendRequest
  | AppendResponse
  | HeartbeatRequest
  | HeartbeatResponse
  | TimeoutNow;
