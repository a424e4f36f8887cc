/**
 * RaftCore: one Raft node as a pure, deterministic state machine (DESIGN §5). It
 * does no I/O, reads no clock and draws randomness only from the injected `Random`.
 * Inputs: `tick`, `step`, `propose`, `proposeConfigChange`, `transferLeadership`,
 * `readIndex`, `campaign`. Output: a `Ready` (see ready.ts for the handling order).
 */
import { afterCommit } from "./commit-hooks.js";
import { becomeFollower, campaign, promotable, resetTimers, tickElection } from "./election.js";
import { invariant } from "./invariant.js";
import { RaftLog } from "./log.js";
import { membershipOf } from "./membership.js";
import type { Message } from "./messages.js";
import type { ProposalItem, ProposalOutcome, ProposeConfigError, ProposeError, Result } from "./proposals.js";
import { propose, proposeConfigChange } from "./proposals.js";
import type { Random } from "./random.js";
import { startRead } from "./read-index.js";
import type { HardState, Ready } from "./ready.js";
import { sameHardState } from "./ready.js";
import { bcastAppend, bcastHeartbeat, maybeCommit, sendAppend } from "./replication.js";
import type { CoreOptions, CoreState, LeaderRole } from "./state.js";
import { defaultCoreOptions } from "./state.js";
import type { RaftStatus } from "./status.js";
import { roleOf, statusOf } from "./status.js";
import { step } from "./step.js";
import type { LogStorage } from "./storage.js";
import type { ConfigChange, LogRecord, NodeId, RaftIndex, Seq, Term } from "./types.js";
import { raftIndex, term } from "./types.js";

/** How to start a core: fresh (empty storage), bootstrapped, or restarted from disk. */
export interface CoreInit {
  readonly id: NodeId;
  /** The durable log; the runtime writes it while handling Readys. */
  readonly storage: LogStorage;
  /**
   * The last persisted hard state; omit for a node that never persisted one. A
   * missing `commit` is relearned from the leader.
   */
  readonly hardState?: Omit<HardState, "commit"> & { readonly commit?: RaftIndex };
  /** The last index the runtime applied and will not need again; default 0 (re-apply all). */
  readonly applied?: RaftIndex;
  readonly random: Random;
  readonly options?: Partial<CoreOptions>;
}

/** Why a leadership transfer was refused (§3.10). */
export type TransferError = ProposeError | { readonly kind: "invalid"; readonly reason: string };

/** A Raft node's algorithm, driven by the runtime through Ready/advance. */
export class RaftCore {
  private readonly s: CoreState;
  private lastHard: HardState;

  /** Starts as a follower from whatever the storage and hard state hold (§3.8 restart). */
  constructor(init: CoreInit) {
    const given = init.hardState ?? { term: term(0), vote: undefined };
    const hard: HardState = { term: given.term, vote: given.vote, commit: given.commit ?? raftIndex(0) };
    const log = new RaftLog(init.storage, hard.commit, init.applied ?? raftIndex(0));
    this.s = {
      id: init.id,
      opts: { ...defaultCoreOptions, ...init.options },
      random: init.random,
      term: hard.term,
      vote: hard.vote,
      leader: undefined,
      role: { kind: "follower" },
      log,
      membership: membershipOf(log.configChanges()),
      membershipVersion: log.configVersion,
      electionElapsed: 0,
      heartbeatElapsed: 0,
      randomizedElectionTicks: 0,
      ticks: 0,
      outbox: [],
      readStates: [],
      readyPending: false,
    };
    invariant(this.s.opts.heartbeatTicks < this.s.opts.electionTicks, "heartbeatTicks must be below electionTicks");
    resetTimers(this.s);
    this.lastHard = hard;
  }

  private input(): CoreState {
    invariant(!this.s.readyPending, "input between ready() and advance()");
    return this.s;
  }

  /** Advances logical time by one tick: elections, heartbeats, check-quorum (§3.4, §6.2). */
  tick(): void {
    const s = this.input();
    s.ticks++;
    if (s.role.kind !== "leader") {
      tickElection(s);
      return;
    }
    this.tickLeader(s);
  }

  private tickLeader(s: CoreState): void {
    const lr = s.role;
    if (lr.kind !== "leader") return;
    s.heartbeatElapsed++;
    s.electionElapsed++;
    if (s.electionElapsed >= s.opts.electionTicks) {
      s.electionElapsed = 0;
      lr.transferee = undefined;
      if (s.opts.checkQuorum && !quorumActive(s, lr)) {
        becomeFollower(s, s.term, undefined);
        return;
      }
    }
    if (s.heartbeatElapsed >= s.opts.heartbeatTicks) {
      s.heartbeatElapsed = 0;
      bcastHeartbeatRound(s);
    }
  }

  /** Handles a message from a peer. Messages for other nodes are a runtime bug. */
  step(m: Message): void {
    const s = this.input();
    invariant(m.to === s.id, `message for ${m.to} delivered to ${s.id}`);
    step(s, m);
  }

  /** Starts an election now (pre-vote first if enabled); ignored for non-voters and leaders. */
  campaign(): void {
    const s = this.input();
    if (s.role.kind !== "leader" && promotable(s)) campaign(s, s.opts.preVote ? "pre" : "real", false);
  }

  /** Proposes entries and token changes; see proposals.ts for seq stamping and dedup. */
  propose(items: readonly ProposalItem[]): Result<ProposalOutcome[], ProposeError> {
    return propose(this.input(), items);
  }

  /** Proposes one membership change (§4.1); refused while another is uncommitted. */
  proposeConfigChange(change: ConfigChange): Result<RaftIndex, ProposeConfigError> {
    return proposeConfigChange(this.input(), change);
  }

  /**
   * Hands leadership to voter `to` (§3.10): catch it up, then send TimeoutNow.
   * Proposals are refused meanwhile; the transfer is abandoned after an election timeout.
   */
  transferLeadership(to: NodeId): Result<void, TransferError> {
    const s = this.input();
    const lr = s.role;
    if (lr.kind !== "leader") return { ok: false, error: { kind: "notLeader", leader: s.leader, term: s.term } };
    if (to === s.id || !s.membership.voters.has(to)) {
      return { ok: false, error: { kind: "invalid", reason: `${to} is not another voter` } };
    }
    lr.transferee = to;
    s.electionElapsed = 0;
    const p = lr.progress.get(to);
    if (p !== undefined && p.match === s.log.lastIndex()) {
      s.outbox.push({ type: "timeoutNow", from: s.id, to, term: s.term });
    } else {
      sendAppend(s, lr, to, true);
    }
    return { ok: true, value: undefined };
  }

  /**
   * Asks to confirm leadership for a consistent read (§6.4). The answer arrives as a
   * `ReadState` with this `ctx` in a later Ready; if leadership is lost first, none
   * arrives, so the runtime must time the request out.
   */
  readIndex(ctx: string): Result<void, ProposeError> {
    const s = this.input();
    const lr = s.role;
    if (lr.kind !== "leader") return { ok: false, error: { kind: "notLeader", leader: s.leader, term: s.term } };
    startRead(s, lr, ctx);
    return { ok: true, value: undefined };
  }

  /** Whether `ready()` has anything to hand out. */
  hasReady(): boolean {
    const s = this.s;
    return (
      !s.readyPending &&
      (s.outbox.length > 0 ||
        s.readStates.length > 0 ||
        s.log.hasUnstable() ||
        s.log.committed > s.log.applied ||
        !sameHardState(this.hardState(), this.lastHard))
    );
  }

  private hardState(): HardState {
    return { term: this.s.term, vote: this.s.vote, commit: this.s.log.committed };
  }

  /** Takes the pending work. The caller must `advance` it before any other input. */
  ready(): Ready {
    const s = this.input();
    const hard = this.hardState();
    const unstable = s.log.unstable();
    const rd: Ready = {
      hardState: sameHardState(hard, this.lastHard) ? undefined : hard,
      truncateFrom: unstable.truncateFrom,
      records: unstable.records,
      messages: s.outbox.splice(0),
      committed: s.log.toApply(s.opts.maxApplyPerReady),
      readStates: s.readStates.splice(0),
    };
    s.readyPending = true;
    return rd;
  }

  /** Acknowledges that `rd` was persisted, sent and applied. */
  advance(rd: Ready): void {
    const s = this.s;
    invariant(s.readyPending, "advance() without ready()");
    s.readyPending = false;
    s.log.stableAll();
    const last = rd.committed[rd.committed.length - 1];
    if (last !== undefined) s.log.appliedTo(last.index);
    if (rd.hardState !== undefined) this.lastHard = rd.hardState;
    const lr = s.role;
    if (lr.kind === "leader" && maybeCommit(s, lr)) {
      bcastAppend(s, lr, true);
      afterCommit(s);
    }
  }

  /** A snapshot for status, metrics and the learner promotion policy. */
  status(): RaftStatus {
    return statusOf(this.s);
  }

  /** The current role, cheaply (no snapshot). */
  roleKind(): RaftStatus["role"] {
    return roleOf(this.s);
  }

  /** The current term. */
  currentTerm(): Term {
    return this.s.term;
  }

  /** The commit index. */
  commitIndex(): RaftIndex {
    return this.s.log.committed;
  }

  /** The leader this node follows, if known. */
  leaderId(): NodeId | undefined {
    return this.s.leader;
  }

  /** The term of the record at `index` in this node's log (durable or not); undefined past the end. */
  termAt(index: RaftIndex): Term | undefined {
    return this.s.log.term(index);
  }

  /** Up to `maxCount` records of this node's log from `from` (durable or not), for inspection. */
  recordsFrom(from: RaftIndex, maxCount: number): readonly LogRecord[] {
    return this.s.log.slice(from, maxCount, Number.MAX_SAFE_INTEGER);
  }

  /** The seq of the last data entry in this node's log (DESIGN §3). */
  lastSeq(): Seq {
    return this.s.log.lastSeq();
  }
}

/** Check-quorum: did a majority of voters answer during the last election timeout (§6.2)? */
function quorumActive(s: CoreState, lr: LeaderRole): boolean {
  let active = 0;
  for (const id of s.membership.voters) {
    if (id === s.id || lr.progress.get(id)?.recentActive === true) active++;
  }
  for (const p of lr.progress.values()) p.recentActive = false;
  return active >= Math.floor(s.membership.voters.size / 2) + 1;
}

function bcastHeartbeatRound(s: CoreState): void {
  const lr = s.role;
  if (lr.kind === "leader") bcastHeartbeat(s, lr);
}
