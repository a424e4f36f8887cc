/** Builds the status message of a node (HubService.Status, ClusterService.Status). */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Role } from "@synod/proto/entry";
import { MemberStatusSchema, StatusResponseSchema, type MemberStatus, type StatusResponse } from "@synod/proto/hub";
import type { HubNode } from "../node/hub-node.js";
import type { RaftStatus } from "../raft/status.js";
import type { NodeId, RaftIndex, Seq } from "../raft/types.js";

/** Facts about the node and its surroundings that the status shows. */
export interface NodeFacts {
  readonly mode: string;
  readonly version: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
  readonly electionMs: number;
  readonly tickMs: number;
  /** Seq of the last data entry at or before an index of this node's log. */
  readonly seqAt: (index: RaftIndex) => Seq;
  /** When this node last delivered a message to `id` (ms), if ever. */
  readonly peerLastOkMs: (id: NodeId) => number | undefined;
  /** Ms since this node last heard from its leader (0 when it is the leader). */
  readonly leaderSilenceMs: () => number;
}

const roles: Record<RaftStatus["role"], Role> = {
  leader: Role.LEADER,
  follower: Role.FOLLOWER,
  learner: Role.LEARNER,
  candidate: Role.CANDIDATE,
  preCandidate: Role.CANDIDATE,
  // A joining node before its addition reaches it.
  nonMember: Role.UNSPECIFIED,
};

/** True when this node belongs to a working majority (leader, or follower that hears its leader). */
export function hasQuorum(rs: RaftStatus, facts: NodeFacts): boolean {
  if (rs.role === "leader") return true;
  return rs.leader !== undefined && facts.leaderSilenceMs() < 2 * facts.electionMs;
}

function member(id: NodeId, rs: RaftStatus, node: HubNode, facts: NodeFacts, nowMs: number): MemberStatus {
  const voter = rs.voters.includes(id);
  const base = { nodeId: id, voter, clientUrl: node.directory.clientUrl(id), peerUrl: node.directory.peerUrl(id) };
  if (id === rs.id) {
    const s = node.commit.seq;
    return create(MemberStatusSchema, { ...base, role: roles[rs.role], reachable: true, inSync: true, lastContact: timestampFromMs(nowMs), commitSeq: s, appliedSeq: s });
  }
  const role = id === rs.leader ? Role.LEADER : voter ? Role.FOLLOWER : Role.LEARNER;
  const f = rs.followers.get(id);
  if (f) {
    const ageMs = f.lastContactTicksAgo * facts.tickMs;
    const reachable = ageMs < 2 * facts.electionMs;
    const lag = rs.lastIndex - f.match;
    const matchSeq = facts.seqAt(f.match);
    return create(MemberStatusSchema, {
      ...base, role: reachable ? role : Role.OFFLINE, reachable, lagEntries: lag, lagMs: BigInt(lag === 0n ? 0 : ageMs),
      inSync: reachable && lag === 0n, lastContact: timestampFromMs(nowMs - ageMs), commitSeq: matchSeq, appliedSeq: matchSeq,
    });
  }
  // Not the leader: this node only talks to the leader, so it can vouch for
  // nobody else; those members are shown with their configured role and
  // reachable = false, and tools ask the leader for the full picture.
  const okMs = facts.peerLastOkMs(id);
  const reachable = id === rs.leader && okMs !== undefined && nowMs - okMs < 2 * facts.electionMs;
  const shown = id === rs.leader && !reachable ? Role.OFFLINE : role;
  return create(MemberStatusSchema, { ...base, role: shown, reachable, ...(okMs !== undefined ? { lastContact: timestampFromMs(okMs) } : {}) });
}

/** The status of this node and, as far as it knows, of every member. */
export function buildStatus(node: HubNode, facts: NodeFacts, nowMs: number): StatusResponse {
  const rs = node.runtime.status();
  const commitSeq = node.commit.seq;
  const leaderId = rs.leader ?? "";
  return create(StatusResponseSchema, {
    nodeId: node.nodeId,
    role: roles[rs.role],
    term: rs.term,
    leaderId,
    leaderUrl: leaderId ? node.directory.clientUrl(leaderId) : "",
    commitSeq,
    appliedSeq: commitSeq,
    entries: commitSeq,
    uptimeMs: BigInt(node.uptimeMs),
    mode: facts.mode,
    hasQuorum: hasQuorum(rs, facts),
    version: facts.version,
    clientUrl: facts.clientUrl,
    commitIndex: rs.commit,
    lastIndex: rs.lastIndex,
    storageError: node.storageError,
    members: [...rs.voters, ...rs.learners].map((id) => member(id, rs, node, facts, nowMs)),
  });
}
