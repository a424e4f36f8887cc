/**
 * The leader's view of each follower (thesis §3.5, with etcd-io/raft's probe and
 * replicate states). In `probe` the leader sends one append at a time and waits for
 * the answer while it looks for the match point; in `replicate` it streams appends
 * optimistically, bounded by an in-flight window.
 */
import type { RaftIndex } from "./types.js";
import { raftIndex } from "./types.js";

/** Replication state of one follower, as a discriminated union. */
export type ReplicationState =
  | { readonly kind: "probe"; probeSent: boolean }
  | { readonly kind: "replicate"; readonly inflight: RaftIndex[] };

/** What the leader tracks per follower. */
export interface Progress {
  /** Highest index known to be replicated on the follower (§3.5 matchIndex). */
  match: RaftIndex;
  /** Next index to send (§3.5 nextIndex). */
  next: RaftIndex;
  state: ReplicationState;
  /** Heard from since the last check-quorum round (§6.2). */
  recentActive: boolean;
  /** The core's tick count when the follower last answered. */
  lastContactTick: number;
}

/** A fresh progress in probe state, for a new leader or a new member. */
export function newProgress(lastIndex: RaftIndex, tick: number): Progress {
  return {
    match: raftIndex(0),
    next: raftIndex(lastIndex + 1n),
    state: { kind: "probe", probeSent: false },
    recentActive: false,
    lastContactTick: tick,
  };
}

/** Whether the leader may send this follower another append now. */
export function canSend(p: Progress, maxInflight: number): boolean {
  if (p.state.kind === "probe") return !p.state.probeSent;
  return p.state.inflight.length < maxInflight;
}

/** Records that an append ending at `lastIndex` went out (`lastIndex` = prev when empty). */
export function onSent(p: Progress, lastIndex: RaftIndex, recordCount: number): void {
  if (p.state.kind === "probe") {
    p.state.probeSent = true;
  } else if (recordCount > 0) {
    p.next = raftIndex(lastIndex + 1n);
    p.state.inflight.push(lastIndex);
  }
}

/** Handles an acknowledged match; returns whether it moved `match` forward. */
export function onAck(p: Progress, index: RaftIndex): boolean {
  const moved = index > p.match;
  if (moved) p.match = index;
  if (p.next <= p.match) p.next = raftIndex(p.match + 1n);
  if (p.state.kind === "probe") {
    p.next = raftIndex(p.match + 1n);
    p.state = { kind: "replicate", inflight: [] };
  } else {
    const inflight = p.state.inflight;
    while (inflight.length > 0 && (inflight[0] as RaftIndex) <= index) inflight.shift();
  }
  return moved;
}

/**
 * Handles a rejection of the append whose prevIndex was `rejected`; `probeFrom` is the
 * leader's estimate of the match point. Returns false when the rejection is stale.
 */
export function onReject(p: Progress, rejected: RaftIndex, probeFrom: RaftIndex): boolean {
  if (p.state.kind === "replicate") {
    if (rejected <= p.match) return false;
  } else if (rejected !== p.next - 1n) {
    return false;
  }
  const candidate = probeFrom + 1n < rejected ? probeFrom + 1n : rejected;
  p.next = raftIndex(candidate > p.match + 1n ? candidate : p.match + 1n);
  p.state = { kind: "probe", probeSent: false };
  return true;
}

/** A heartbeat answer unblocks a stalled follower: unpause a probe, free one in-flight slot. */
export function onHeartbeatAck(p: Progress, maxInflight: number): void {
  if (p.state.kind === "probe") p.state.probeSent = false;
  else if (p.state.inflight.length >= maxInflight) p.state.inflight.shift();
}
