/**
 * Cluster membership: who votes and who only replicates. Changes are single-server
 * (thesis §4.1) and take effect on every node as soon as the record is appended to
 * its log, committed or not; a truncated change is undone with it.
 */
import type { ConfigAt } from "./storage.js";
import type { ConfigChange, NodeId, RaftIndex } from "./types.js";

/** A configuration: voters count in quorums, learners replicate only (§4.2.1). */
export interface Membership {
  readonly voters: ReadonlySet<NodeId>;
  readonly learners: ReadonlySet<NodeId>;
}

/** Why a membership change was refused. */
export type ConfigChangeError =
  | { readonly kind: "changePending"; readonly index: RaftIndex }
  | { readonly kind: "invalid"; readonly reason: string };

/** Applies one change to a configuration. */
export function applyChange(m: Membership, c: ConfigChange): Membership {
  const voters = new Set(m.voters);
  const learners = new Set(m.learners);
  if (c.kind === "addLearner") {
    if (!voters.has(c.nodeId)) learners.add(c.nodeId);
  } else if (c.kind === "promote") {
    learners.delete(c.nodeId);
    voters.add(c.nodeId);
  } else {
    learners.delete(c.nodeId);
    voters.delete(c.nodeId);
  }
  return { voters, learners };
}

/** The configuration after every change in the log (the latest one wins, §4.1). */
export function membershipOf(changes: readonly ConfigAt[]): Membership {
  let m: Membership = { voters: new Set(), learners: new Set() };
  for (const c of changes) m = applyChange(m, c.change);
  return m;
}

/**
 * Checks that a change makes sense against the current configuration: add a new
 * node as a learner, promote a learner, remove a member, never the last voter.
 */
export function validateChange(m: Membership, c: ConfigChange): ConfigChangeError | undefined {
  const member = m.voters.has(c.nodeId) || m.learners.has(c.nodeId);
  if (c.kind === "addLearner" && member) return { kind: "invalid", reason: `${c.nodeId} is already a member` };
  if (c.kind === "promote" && !m.learners.has(c.nodeId)) return { kind: "invalid", reason: `${c.nodeId} is not a learner` };
  if (c.kind === "remove" && !member) return { kind: "invalid", reason: `${c.nodeId} is not a member` };
  if (c.kind === "remove" && m.voters.has(c.nodeId) && m.voters.size === 1) {
    return { kind: "invalid", reason: "cannot remove the last voter" };
  }
  return undefined;
}

/** Votes needed for a majority of `voters` (§3.6). */
export function quorum(voters: ReadonlySet<NodeId>): number {
  return Math.floor(voters.size / 2) + 1;
}

/**
 * The highest index held by a majority of voters, given each voter's match index
 * (§3.6.2). Voters without a known match count as 0.
 */
export function quorumIndex(voters: ReadonlySet<NodeId>, matchOf: (id: NodeId) => bigint): bigint {
  const matches = [...voters].map(matchOf).sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  return matches[quorum(voters) - 1] ?? 0n;
}

/** Records that bootstrap a cluster with these voters (each added then promoted, §4.1). */
export function bootstrapChanges(voters: readonly NodeId[]): ConfigChange[] {
  return voters.flatMap((nodeId): ConfigChange[] => [
    { kind: "addLearner", nodeId },
    { kind: "promote", nodeId },
  ]);
}
