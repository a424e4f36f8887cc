/**
 * Elections: role changes, campaigns with pre-vote, vote granting with the election
 * restriction, and the election timer (thesis §3.4, §3.6.1, §9.6).
 */
import type { VoteRequest, VoteResponse } from "./messages.js";
import { quorum } from "./membership.js";
import { newProgress } from "./progress.js";
import type { CoreState, LeaderRole } from "./state.js";
import type { NodeId, Term } from "./types.js";
import { raftIndex, term } from "./types.js";
import { bcastAppend } from "./replication.js";

/** Resets the timers and draws a new randomized election timeout (§3.4). */
export function resetTimers(s: CoreState): void {
  s.electionElapsed = 0;
  s.heartbeatElapsed = 0;
  s.randomizedElectionTicks = s.opts.electionTicks + s.random.nextInt(s.opts.electionTicks);
}

/** Whether this node may campaign: only voters do (§4.2.1 learners never vote). */
export function promotable(s: CoreState): boolean {
  return s.membership.voters.has(s.id);
}

/** Becomes a follower in term `t`; the vote is cleared only when the term moves (§3.3). */
export function becomeFollower(s: CoreState, t: Term, leader: NodeId | undefined): void {
  if (t !== s.term) {
    s.term = t;
    s.vote = undefined;
  }
  s.role = { kind: "follower" };
  s.leader = leader;
  resetTimers(s);
}

/** Becomes leader: fresh progress for every member, then a no-op in the new term (§3.6.2, §6.4). */
export function becomeLeader(s: CoreState): void {
  const lastIndex = s.log.lastIndex();
  const role: LeaderRole = {
    kind: "leader",
    progress: new Map(),
    transferee: undefined,
    waitingReads: [],
    pendingReads: [],
    readSeq: 0,
    readAcks: new Map(),
  };
  for (const id of [...s.membership.voters, ...s.membership.learners]) {
    if (id !== s.id) role.progress.set(id, newProgress(lastIndex, s.ticks));
  }
  s.role = role;
  s.leader = s.id;
  resetTimers(s);
  s.log.append([{ index: raftIndex(lastIndex + 1n), term: s.term, payload: { kind: "noop" } }]);
  bcastAppend(s, role, true);
}

/**
 * Starts a campaign. A pre-vote campaign asks for votes in term+1 without changing
 * the term, so a node cut off from the cluster cannot disrupt it on return (§9.6).
 * A transfer campaign skips pre-vote and overrides the leader lease (§3.10).
 */
export function campaign(s: CoreState, kind: "pre" | "real", transfer: boolean): void {
  if (!promotable(s)) return;
  const votes = new Map<NodeId, boolean>([[s.id, true]]);
  let voteTerm: Term;
  if (kind === "pre") {
    s.role = { kind: "preCandidate", votes };
    s.leader = undefined;
    resetTimers(s);
    voteTerm = term(s.term + 1n);
  } else {
    becomeFollower(s, term(s.term + 1n), undefined);
    s.vote = s.id;
    s.role = { kind: "candidate", votes };
    voteTerm = s.term;
  }
  if (tally(s, votes) === "won") return win(s, kind);
  const lastIndex = s.log.lastIndex();
  const lastTerm = s.log.lastTerm();
  for (const to of s.membership.voters) {
    if (to === s.id) continue;
    s.outbox.push({ type: "vote", from: s.id, to, term: voteTerm, pre: kind === "pre", transfer, lastIndex, lastTerm });
  }
}

function win(s: CoreState, kind: "pre" | "real"): void {
  if (kind === "pre") campaign(s, "real", false);
  else becomeLeader(s);
}

function tally(s: CoreState, votes: Map<NodeId, boolean>): "won" | "lost" | "pending" {
  let granted = 0;
  let rejected = 0;
  for (const id of s.membership.voters) {
    const v = votes.get(id);
    if (v === true) granted++;
    else if (v === false) rejected++;
  }
  const q = quorum(s.membership.voters);
  if (granted >= q) return "won";
  if (rejected > s.membership.voters.size - q) return "lost";
  return "pending";
}

/**
 * Answers a (pre-)vote request whose term is at least ours. A vote is granted at most
 * once per term (§3.4) and only to a candidate whose log is at least as up to date
 * (§3.6.1). A pre-vote is granted for a future term without recording anything.
 */
export function handleVoteRequest(s: CoreState, m: VoteRequest): void {
  const f = s.opts.testFaults;
  const canVote =
    s.vote === m.from || (s.vote === undefined && s.leader === undefined) || (m.pre && m.term > s.term) || f?.voteTwice === true;
  const upToDate = f?.skipUpToDateCheck === true || s.log.isUpToDate(m.lastIndex, m.lastTerm);
  const granted = canVote && upToDate;
  s.outbox.push({ type: "voteResp", from: s.id, to: m.from, term: granted ? m.term : s.term, pre: m.pre, granted });
  if (granted && !m.pre) {
    s.electionElapsed = 0;
    s.vote = m.from;
  }
}

/** Counts a vote answer for the current campaign and acts on the outcome (§3.4). */
export function handleVoteResponse(s: CoreState, m: VoteResponse): void {
  const role = s.role;
  if (role.kind !== "preCandidate" && role.kind !== "candidate") return;
  if ((role.kind === "preCandidate") !== m.pre) return;
  role.votes.set(m.from, m.granted);
  const outcome = tally(s, role.votes);
  if (outcome === "won") win(s, m.pre ? "pre" : "real");
  else if (outcome === "lost") becomeFollower(s, s.term, undefined);
}

/** Advances the election timer of a non-leader; campaigns when it expires (§3.4). */
export function tickElection(s: CoreState): void {
  s.electionElapsed++;
  if (promotable(s) && s.electionElapsed >= s.randomizedElectionTicks) {
    s.electionElapsed = 0;
    campaign(s, s.opts.preVote ? "pre" : "real", false);
  }
}
