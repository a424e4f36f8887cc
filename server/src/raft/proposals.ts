/**
 * Proposals on the leader: data entries stamped with `seq` and `term` at append time
 * and deduplicated by id against the whole log (DESIGN §3), opaque token changes,
 * and single-server membership changes (thesis §4.1).
 */
import type { ConfigChangeError } from "./membership.js";
import { validateChange } from "./membership.js";
import { lastConfigIndex, refreshMembership } from "./membership-sync.js";
import { committedInTerm } from "./read-index.js";
import { bcastAppend } from "./replication.js";
import type { CoreState, LeaderRole } from "./state.js";
import type { ConfigChange, LogRecord, NodeId, Payload, RaftIndex, Seq, StoredEntry, Term, TokenChange } from "./types.js";
import { raftIndex, seq } from "./types.js";

/** An entry as a client sends it: everything but what the leader stamps (`seq`, `term`). */
export type ProposedEntry = Omit<StoredEntry, "seq" | "term">;

/** One item of a proposal batch. */
export type ProposalItem =
  | { readonly kind: "entry"; readonly entry: ProposedEntry }
  | { readonly kind: "token"; readonly change: TokenChange };

/** What happened to one item: appended now, or already in the log (a retry). */
export type ProposalOutcome =
  | { readonly kind: "appended"; readonly index: RaftIndex; readonly seq: Seq | undefined }
  | { readonly kind: "duplicate"; readonly index: RaftIndex; readonly seq: Seq };

/** Why the leader refused a proposal. Nothing was appended. */
export type ProposeError =
  | { readonly kind: "notLeader"; readonly leader: NodeId | undefined; readonly term: Term }
  | { readonly kind: "transferring"; readonly transferee: NodeId };

/** A typed result: operating errors are values, not exceptions (CONVENTIONS). */
export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** Checks that this core is a leader that accepts proposals (not during a transfer, §3.10). */
export function acceptingLeader(s: CoreState): Result<LeaderRole, ProposeError> {
  const role = s.role;
  if (role.kind !== "leader") return { ok: false, error: { kind: "notLeader", leader: s.leader, term: s.term } };
  if (role.transferee !== undefined) return { ok: false, error: { kind: "transferring", transferee: role.transferee } };
  return { ok: true, value: role };
}

function appendPayload(s: CoreState, payload: Payload): RaftIndex {
  const index = raftIndex(s.log.lastIndex() + 1n);
  const record: LogRecord = { index, term: s.term, payload };
  s.log.append([record]);
  return index;
}

/**
 * Appends a batch. A data entry whose id is already anywhere in the log (committed
 * or not) is not appended again: the outcome names the original index and seq.
 */
export function propose(s: CoreState, items: readonly ProposalItem[]): Result<ProposalOutcome[], ProposeError> {
  const leader = acceptingLeader(s);
  if (!leader.ok) return leader;
  const outcomes: ProposalOutcome[] = [];
  for (const item of items) {
    if (item.kind === "token") {
      outcomes.push({ kind: "appended", index: appendPayload(s, { kind: "token", change: item.change }), seq: undefined });
      continue;
    }
    const found = s.log.findEntry(item.entry.id);
    if (found !== undefined) {
      outcomes.push({ kind: "duplicate", index: found.index, seq: found.seq });
      continue;
    }
    const stamped: StoredEntry = { ...item.entry, seq: seq(s.log.lastSeq() + 1n), term: s.term };
    outcomes.push({ kind: "appended", index: appendPayload(s, { kind: "entry", entry: stamped }), seq: stamped.seq });
  }
  bcastAppend(s, leader.value, false);
  return { ok: true, value: outcomes };
}

/** Why a membership change was refused. */
export type ProposeConfigError = ProposeError | ConfigChangeError | { readonly kind: "termNotCommitted" };

/**
 * Appends a membership change. Refused while another change is uncommitted (one at a
 * time, §4.1) and until the leader has committed a record of its own term (the fix to
 * single-server changes described in §4.1's erratum).
 */
export function proposeConfigChange(s: CoreState, change: ConfigChange): Result<RaftIndex, ProposeConfigError> {
  const leader = acceptingLeader(s);
  if (!leader.ok) return leader;
  const pending = lastConfigIndex(s);
  if (pending > s.log.committed) return { ok: false, error: { kind: "changePending", index: raftIndex(pending) } };
  if (!committedInTerm(s)) return { ok: false, error: { kind: "termNotCommitted" } };
  const invalid = validateChange(s.membership, change);
  if (invalid !== undefined) return { ok: false, error: invalid };
  const index = appendPayload(s, { kind: "config", change });
  refreshMembership(s);
  bcastAppend(s, leader.value, false);
  return { ok: true, value: index };
}
