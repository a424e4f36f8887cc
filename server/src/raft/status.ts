/**
 * A read-only snapshot of a core for status pages, metrics and the learner
 * auto-promotion policy (DESIGN §5). Positions are bigint; ages are in ticks.
 */
import type { CoreState } from "./state.js";
import type { NodeId, RaftIndex, Term } from "./types.js";

/**
 * How a node sees itself: `learner` is a follower that does not vote (§4.2.1);
 * `nonMember` is a node outside the configuration (not yet added, or removed).
 */
export type StatusRole = "leader" | "follower" | "learner" | "candidate" | "preCandidate" | "nonMember";

/** The leader's view of one follower or learner. */
export interface FollowerStatus {
  readonly match: RaftIndex;
  readonly next: RaftIndex;
  readonly state: "probe" | "replicate";
  readonly inflight: number;
  readonly learner: boolean;
  /** Answered since the last check-quorum round. */
  readonly recentActive: boolean;
  /** Ticks since the follower last answered. */
  readonly lastContactTicksAgo: number;
}

/** A snapshot of one core. `followers` is empty unless the node is leader. */
export interface RaftStatus {
  readonly id: NodeId;
  readonly role: StatusRole;
  readonly term: Term;
  readonly vote: NodeId | undefined;
  readonly leader: NodeId | undefined;
  readonly commit: RaftIndex;
  readonly applied: RaftIndex;
  readonly lastIndex: RaftIndex;
  readonly lastTerm: Term;
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
  readonly transferee: NodeId | undefined;
  readonly followers: ReadonlyMap<NodeId, FollowerStatus>;
}

/** The role shown for a core's state. */
export function roleOf(s: CoreState): StatusRole {
  if (s.role.kind !== "follower") return s.role.kind;
  if (s.membership.voters.has(s.id)) return "follower";
  return s.membership.learners.has(s.id) ? "learner" : "nonMember";
}

/** Builds a status snapshot. */
export function statusOf(s: CoreState): RaftStatus {
  const followers = new Map<NodeId, FollowerStatus>();
  if (s.role.kind === "leader") {
    for (const [id, p] of s.role.progress) {
      followers.set(id, {
        match: p.match,
        next: p.next,
        state: p.state.kind,
        inflight: p.state.kind === "replicate" ? p.state.inflight.length : 0,
        learner: s.membership.learners.has(id),
        recentActive: p.recentActive,
        lastContactTicksAgo: s.ticks - p.lastContactTick,
      });
    }
  }
  return {
    id: s.id,
    role: roleOf(s),
    term: s.term,
    vote: s.vote,
    leader: s.leader,
    commit: s.log.committed,
    applied: s.log.applied,
    lastIndex: s.log.lastIndex(),
    lastTerm: s.log.lastTerm(),
    voters: [...s.membership.voters].sort(),
    learners: [...s.membership.learners].sort(),
    transferee: s.role.kind === "leader" ? s.role.transferee : undefined,
    followers,
  };
}

/**
 * Whether a learner is caught up enough to be promoted: the leader has heard from it
 * recently and it lags the leader's commit index by at most `maxLagRecords` (§4.2.1).
 * The policy (when to promote) lives in the runtime.
 */
export function learnerCaughtUp(status: RaftStatus, id: NodeId, maxLagRecords: bigint, maxSilenceTicks: number): boolean {
  const f = status.followers.get(id);
  if (status.role !== "leader" || f === undefined || !f.learner) return false;
  return f.match + maxLagRecords >= status.commit && f.lastContactTicksAgo <= maxSilenceTicks;
}
