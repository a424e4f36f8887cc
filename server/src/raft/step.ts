/**
 * Message dispatch: the term rules every message goes through first (thesis §3.3),
 * the leader lease that shields a healthy leader from disruptive candidates (§4.2.3,
 * §9.6), then the handler for the message type and the core's role.
 */
import { becomeFollower, campaign, handleVoteRequest, handleVoteResponse, promotable } from "./election.js";
import type { Message } from "./messages.js";
import { refreshMembership } from "./membership-sync.js";
import { onReadAck } from "./read-index.js";
import { handleAppend, handleAppendResponse, handleHeartbeat, handleHeartbeatResponse } from "./replication.js";
import type { CoreState } from "./state.js";
import { term } from "./types.js";
import { afterCommit } from "./commit-hooks.js";

/** Whether this node heard from a leader within the election timeout (§4.2.3). */
function inLease(s: CoreState): boolean {
  return s.opts.checkQuorum && s.leader !== undefined && s.electionElapsed < s.opts.electionTicks;
}

/** Applies the term rules; returns false when the message must be dropped. */
function checkTerm(s: CoreState, m: Message): boolean {
  if (m.term > s.term) {
    if (m.type === "vote" && !m.transfer && inLease(s)) return false;
    if (m.type === "vote" && m.pre) return true;
    if (m.type === "voteResp" && m.pre && m.granted) return true;
    const leader = m.type === "append" || m.type === "heartbeat" ? m.from : undefined;
    becomeFollower(s, m.term, leader);
    return true;
  }
  if (m.term < s.term) {
    if ((s.opts.checkQuorum || s.opts.preVote) && (m.type === "append" || m.type === "heartbeat")) {
      // Tell a stale leader about the newer term so it steps down (§3.3).
      const index = s.log.committed;
      s.outbox.push({ type: "appendResp", from: s.id, to: m.from, term: s.term, success: false, index, hintIndex: index, hintTerm: term(0) });
    } else if (m.type === "vote" && m.pre) {
      s.outbox.push({ type: "voteResp", from: s.id, to: m.from, term: s.term, pre: true, granted: false });
    }
    return false;
  }
  return true;
}

/** Handles one message from a peer. */
export function step(s: CoreState, m: Message): void {
  if (!checkTerm(s, m)) return;
  switch (m.type) {
    case "vote":
      handleVoteRequest(s, m);
      return;
    case "voteResp":
      handleVoteResponse(s, m);
      return;
    case "append":
    case "heartbeat":
      if (s.role.kind === "leader") return;
      if (s.role.kind !== "follower") becomeFollower(s, s.term, m.from);
      s.leader = m.from;
      s.electionElapsed = 0;
      if (m.type === "append") handleAppend(s, m);
      else handleHeartbeat(s, m);
      refreshMembership(s);
      return;
    case "appendResp":
    case "heartbeatResp":
      stepLeaderResponse(s, m);
      return;
    case "timeoutNow":
      if (s.role.kind === "follower" && promotable(s)) campaign(s, "real", true);
      return;
  }
}

function stepLeaderResponse(s: CoreState, m: Extract<Message, { type: "appendResp" | "heartbeatResp" }>): void {
  const lr = s.role;
  if (lr.kind !== "leader") return;
  if (m.type === "heartbeatResp") {
    handleHeartbeatResponse(s, lr, m);
    onReadAck(s, lr, m.from, m.readSeq);
    return;
  }
  if (handleAppendResponse(s, lr, m)) afterCommit(s);
}
