/**
 * Read index for linearizable (`consistent`) reads (thesis §6.4): the leader notes its
 * commit index, confirms it is still leader with a heartbeat round acknowledged by a
 * majority of voters, and then answers that the read may be served once the state
 * machine has applied that index.
 */
import { quorum } from "./membership.js";
import { bcastHeartbeat } from "./replication.js";
import type { CoreState, LeaderRole } from "./state.js";

/** Whether the leader has committed a record of its own term (§6.4 step 1). */
export function committedInTerm(s: CoreState): boolean {
  return s.log.term(s.log.committed) === s.term;
}

/** Starts confirming leadership for a read; answers at once in a cluster of one voter. */
export function startRead(s: CoreState, lr: LeaderRole, ctx: string): void {
  if (!committedInTerm(s)) {
    lr.waitingReads.push(ctx);
    return;
  }
  lr.readSeq++;
  lr.pendingReads.push({ ctx, index: s.log.committed, readSeq: lr.readSeq });
  bcastHeartbeat(s, lr);
  releaseReads(s, lr);
}

/** Starts reads that waited for this term's first commit. */
export function flushWaitingReads(s: CoreState, lr: LeaderRole): void {
  if (lr.waitingReads.length === 0 || !committedInTerm(s)) return;
  for (const ctx of lr.waitingReads.splice(0)) startRead(s, lr, ctx);
}

/** Records a peer's echo of a heartbeat round and releases confirmed reads. */
export function onReadAck(s: CoreState, lr: LeaderRole, from: string, readSeq: number): void {
  if (readSeq > (lr.readAcks.get(from) ?? 0)) lr.readAcks.set(from, readSeq);
  releaseReads(s, lr);
}

function releaseReads(s: CoreState, lr: LeaderRole): void {
  const voters = s.membership.voters;
  while (lr.pendingReads.length > 0) {
    const r = lr.pendingReads[0];
    if (r === undefined) break;
    let acks = 0;
    for (const id of voters) if (id === s.id || (lr.readAcks.get(id) ?? 0) >= r.readSeq) acks++;
    if (acks < quorum(voters)) break;
    lr.pendingReads.shift();
    s.readStates.push({ ctx: r.ctx, index: r.index });
  }
}
