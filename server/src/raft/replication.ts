/**
 * Log replication: the leader's appends and heartbeats, the follower's consistency
 * check, and commitment by a majority of voters counting only current-term records
 * (thesis §3.5, §3.6.2).
 */
import type { AppendRequest, AppendResponse, HeartbeatRequest, HeartbeatResponse } from "./messages.js";
import { quorumIndex } from "./membership.js";
import { canSend, onAck, onHeartbeatAck, onReject, onSent } from "./progress.js";
import type { CoreState, LeaderRole } from "./state.js";
import type { NodeId, RaftIndex } from "./types.js";
import { raftIndex, term } from "./types.js";
import { invariant } from "./invariant.js";

/**
 * Sends `to` the next batch of records if its progress allows (probe: one at a time;
 * replicate: up to the in-flight window). Returns whether a message went out.
 */
export function sendAppend(s: CoreState, lr: LeaderRole, to: NodeId, allowEmpty: boolean): boolean {
  const p = lr.progress.get(to);
  if (p === undefined || !canSend(p, s.opts.maxInflightMsgs)) return false;
  const prevIndex = raftIndex(p.next - 1n);
  const prevTerm = s.log.term(prevIndex);
  invariant(prevTerm !== undefined, `no term for prevIndex ${prevIndex}`);
  const records = s.log.slice(p.next, s.opts.maxRecordsPerMsg, s.opts.maxBytesPerMsg);
  if (records.length === 0 && !allowEmpty) return false;
  s.outbox.push({ type: "append", from: s.id, to, term: s.term, prevIndex, prevTerm, records, commit: s.log.committed });
  onSent(p, raftIndex(prevIndex + BigInt(records.length)), records.length);
  return true;
}

/** Sends every follower and learner what it is missing (or an empty append carrying the commit). */
export function bcastAppend(s: CoreState, lr: LeaderRole, allowEmpty: boolean): void {
  for (const to of lr.progress.keys()) sendAppend(s, lr, to, allowEmpty);
}

/** Sends heartbeats tagged with the current read round; commit is capped at each match (§6.4). */
export function bcastHeartbeat(s: CoreState, lr: LeaderRole): void {
  for (const [to, p] of lr.progress) {
    const commit = p.match < s.log.committed ? p.match : s.log.committed;
    s.outbox.push({ type: "heartbeat", from: s.id, to, term: s.term, commit, readSeq: lr.readSeq });
  }
}

/**
 * Commits the highest index stored on a majority of voters, but only if it is from
 * the current term (§3.6.2; older records commit indirectly, figure 8). The leader
 * counts itself only up to what it has made durable (§10.2.1).
 */
export function maybeCommit(s: CoreState, lr: LeaderRole): boolean {
  const idx = quorumIndex(s.membership.voters, (id) =>
    id === s.id ? s.log.stableIndex() : (lr.progress.get(id)?.match ?? 0n),
  );
  if (idx <= s.log.committed) return false;
  const t = s.log.term(raftIndex(idx));
  if (t !== s.term && s.opts.testFaults?.commitOldTermByCount !== true) return false;
  return s.log.commitTo(raftIndex(idx));
}

/** Follower side of AppendEntries: the consistency check, conflict repair, commit (§3.5). */
export function handleAppend(s: CoreState, m: AppendRequest): void {
  const reply = (success: boolean, index: RaftIndex, hintIndex: RaftIndex, hintTerm = term(0)): void => {
    s.outbox.push({ type: "appendResp", from: s.id, to: m.from, term: s.term, success, index, hintIndex, hintTerm });
  };
  if (m.prevIndex < s.log.committed) {
    reply(true, s.log.committed, raftIndex(0));
    return;
  }
  if (!s.log.matchTerm(m.prevIndex, m.prevTerm)) {
    const capped = m.prevIndex < s.log.lastIndex() ? m.prevIndex : s.log.lastIndex();
    const hintIndex = s.log.findConflictByTerm(capped, m.prevTerm);
    reply(false, m.prevIndex, hintIndex, s.log.term(hintIndex) ?? term(0));
    return;
  }
  const last = s.log.merge(m.prevIndex, m.records);
  s.log.commitTo(m.commit < last ? m.commit : last);
  reply(true, last, raftIndex(0));
}

/** Follower side of a heartbeat: learn the commit index, echo the read round (§6.4). */
export function handleHeartbeat(s: CoreState, m: HeartbeatRequest): void {
  s.log.commitTo(m.commit);
  s.outbox.push({ type: "heartbeatResp", from: s.id, to: m.from, term: s.term, readSeq: m.readSeq });
}

/**
 * Leader side of an append answer: move the follower's progress, commit, keep the
 * pipeline full. Returns whether the commit index advanced.
 */
export function handleAppendResponse(s: CoreState, lr: LeaderRole, m: AppendResponse): boolean {
  const p = lr.progress.get(m.from);
  if (p === undefined) return false;
  p.recentActive = true;
  p.lastContactTick = s.ticks;
  if (!m.success) {
    const probeFrom = m.hintTerm > 0n ? s.log.findConflictByTerm(m.hintIndex, m.hintTerm) : m.hintIndex;
    if (onReject(p, m.index, probeFrom)) sendAppend(s, lr, m.from, true);
    return false;
  }
  const moved = onAck(p, m.index);
  const committed = moved && maybeCommit(s, lr);
  if (committed) bcastAppend(s, lr, true);
  while (sendAppend(s, lr, m.from, false));
  if (m.from === lr.transferee && p.match === s.log.lastIndex()) {
    s.outbox.push({ type: "timeoutNow", from: s.id, to: m.from, term: s.term });
  }
  return committed;
}

/** Leader side of a heartbeat answer: liveness for check-quorum, unblock replication (§6.2). */
export function handleHeartbeatResponse(s: CoreState, lr: LeaderRole, m: HeartbeatResponse): void {
  const p = lr.progress.get(m.from);
  if (p === undefined) return;
  p.recentActive = true;
  p.lastContactTick = s.ticks;
  onHeartbeatAck(p, s.opts.maxInflightMsgs);
  if (p.match < s.log.lastIndex()) sendAppend(s, lr, m.from, true);
}
