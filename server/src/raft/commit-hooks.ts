/**
 * What a leader does when its commit index moves: serve reads that waited for the
 * term's first commit (§6.4), and step down once its own removal commits (§4.2.2).
 */
import { becomeFollower } from "./election.js";
import { lastConfigIndex } from "./membership-sync.js";
import { flushWaitingReads } from "./read-index.js";
import type { CoreState } from "./state.js";

/** Runs after the leader's commit index advanced. */
export function afterCommit(s: CoreState): void {
  const lr = s.role;
  if (lr.kind !== "leader") return;
  if (!s.membership.voters.has(s.id) && lastConfigIndex(s) <= s.log.committed) {
    becomeFollower(s, s.term, undefined);
    return;
  }
  flushWaitingReads(s, lr);
}
