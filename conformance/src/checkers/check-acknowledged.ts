/**
 * Invariant 5 (DESIGN §9): every append acknowledged with `MAJORITY` is in the
 * final committed log exactly once, at the seq it was acknowledged with.
 */
import { ViolationList, type LoggedEntry } from "./logged-entry.js";

/**
 * Checks acknowledged appends against a final committed log.
 *
 * @param acked every acknowledgement a client received (an id may appear more than
 *   once when a retry came back as a duplicate; all its seqs must then be equal)
 * @param finalLog the committed log read from a node after the run, in any order
 * @returns readable violations; empty when the history is correct
 */
export function checkAcknowledged(acked: readonly LoggedEntry[], finalLog: readonly LoggedEntry[]): string[] {
  const v = new ViolationList();
  const seqsById = new Map<string, bigint[]>();
  for (const e of finalLog) {
    const seqs = seqsById.get(e.id);
    if (seqs) seqs.push(e.seq);
    else seqsById.set(e.id, [e.seq]);
  }
  const ackedSeq = new Map<string, bigint>();
  for (const a of acked) {
    const earlier = ackedSeq.get(a.id);
    if (earlier === undefined) ackedSeq.set(a.id, a.seq);
    else if (earlier !== a.seq) v.add("conflicting-ack", `id ${a.id} was acknowledged twice with different seqs (${earlier} and ${a.seq})`);
  }
  for (const [id, seq] of ackedSeq) {
    const found = seqsById.get(id) ?? [];
    if (found.length === 0) v.add("lost", `acknowledged append ${id} (seq ${seq}) is missing from the final log`);
    else if (found.length > 1) v.add("duplicated", `acknowledged append ${id} appears ${found.length} times in the final log (seqs ${found.join(", ")})`);
    else if (found[0] !== seq) v.add("moved", `acknowledged append ${id} was acknowledged at seq ${seq} but is at seq ${found[0]} in the final log`);
  }
  return v.list();
}
