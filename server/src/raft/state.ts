/**
 * The mutable state of one Raft core, shared by the modules that implement the
 * algorithm (election, replication, membership, read index). Only `RaftCore`
 * exposes it, and only read-only through `status()`.
 */
import type { RaftLog } from "./log.js";
import type { Membership } from "./membership.js";
import type { Message } from "./messages.js";
import type { Progress } from "./progress.js";
import type { Random } from "./random.js";
import type { NodeId, RaftIndex, Term } from "./types.js";

/**
 * Test-only fault switches that break one safety rule each, so a test can prove the
 * simulator notices. Never set in production.
 */
export interface TestFaults {
  /** Grant a vote even after voting for someone else in the same term (breaks §3.4). */
  readonly voteTwice?: boolean;
  /** Commit by replica count without the current-term check (breaks §3.6.2, figure 8). */
  readonly commitOldTermByCount?: boolean;
  /** Grant votes without the up-to-date check (breaks the election restriction §3.6.1). */
  readonly skipUpToDateCheck?: boolean;
}

/** Tunables of a core. Ticks are logical: the runtime decides how long one is. */
export interface CoreOptions {
  /** Base election timeout; the randomized one is in [electionTicks, 2*electionTicks) (§3.4). */
  readonly electionTicks: number;
  /** Heartbeat interval; must be below electionTicks. */
  readonly heartbeatTicks: number;
  /** Most records in one AppendRequest. */
  readonly maxRecordsPerMsg: number;
  /** Most record bytes in one AppendRequest (at least one record always goes). */
  readonly maxBytesPerMsg: number;
  /** Most unacknowledged appends in flight to one follower. */
  readonly maxInflightMsgs: number;
  /** Most committed records handed out in one Ready. */
  readonly maxApplyPerReady: number;
  /** Pre-vote (§9.6). */
  readonly preVote: boolean;
  /** Check-quorum and the leader lease (§6.2, §4.2.3). */
  readonly checkQuorum: boolean;
  readonly testFaults?: TestFaults;
}

/** Sensible defaults: 10-tick elections, 1-tick heartbeats, all protections on. */
export const defaultCoreOptions: CoreOptions = {
  electionTicks: 10,
  heartbeatTicks: 1,
  maxRecordsPerMsg: 64,
  maxBytesPerMsg: 1 << 20,
  maxInflightMsgs: 8,
  maxApplyPerReady: 1024,
  preVote: true,
  checkQuorum: true,
};

/** A pending read-index request on the leader (§6.4). */
export interface PendingRead {
  readonly ctx: string;
  /** The commit index when the request arrived; the read is served at this index. */
  readonly index: RaftIndex;
  /** The heartbeat round whose acks confirm leadership for this request. */
  readonly readSeq: number;
}

/** The role of a core, with the data that only that role has. */
export type Role =
  | { readonly kind: "follower" }
  | { readonly kind: "preCandidate"; readonly votes: Map<NodeId, boolean> }
  | { readonly kind: "candidate"; readonly votes: Map<NodeId, boolean> }
  | LeaderRole;

/** Leader-only state. */
export interface LeaderRole {
  readonly kind: "leader";
  readonly progress: Map<NodeId, Progress>;
  /** Transfer target while a leadership transfer runs (§3.10). */
  transferee: NodeId | undefined;
  /** Reads waiting for the first commit of this term (§6.4 step 1). */
  readonly waitingReads: string[];
  /** Reads waiting for a heartbeat quorum (§6.4 step 3). */
  readonly pendingReads: PendingRead[];
  /** The latest heartbeat round tag, and each peer's highest echoed tag. */
  readSeq: number;
  readonly readAcks: Map<NodeId, number>;
}

/** Everything a core knows. Mutated only by the core's modules. */
export interface CoreState {
  readonly id: NodeId;
  readonly opts: CoreOptions;
  readonly random: Random;
  term: Term;
  vote: NodeId | undefined;
  leader: NodeId | undefined;
  role: Role;
  readonly log: RaftLog;
  membership: Membership;
  /** The log's config version when `membership` was computed. */
  membershipVersion: number;
  electionElapsed: number;
  heartbeatElapsed: number;
  randomizedElectionTicks: number;
  /** Ticks since start; used only for status. */
  ticks: number;
  readonly outbox: Message[];
  readonly readStates: { readonly ctx: string; readonly index: RaftIndex }[];
  /** Set when the core has stepped aside and must hand nothing more until advance. */
  readyPending: boolean;
}
