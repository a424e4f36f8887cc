/**
 * Drives a pure RaftCore with real disks, sockets and timers (DESIGN §5).
 * Inputs (ticks, peer messages, proposals) are queued and fed to the core
 * between Readys; each Ready is handled in the order the core requires:
 * persist → send → apply → advance. Inputs that arrive while a Ready is being
 * persisted wait for the next one: that is where group commit comes from.
 *
 * One exception to "persist before send", from the thesis (§10.2.1): a leader
 * whose term and vote did not change in this Ready sends its append messages
 * while its own fsync runs. That is safe because the core counts the leader's
 * own copy towards commit only after `advance`, i.e. once it is durable.
 */
import type { Logger } from "../logger.js";
import { RaftCore } from "../raft/core.js";
import type { Message } from "../raft/messages.js";
import type { ProposalItem, ProposalOutcome, ProposeConfigError, ProposeError, Result } from "../raft/proposals.js";
import type { Random } from "../raft/random.js";
import type { HardState, Ready } from "../raft/ready.js";
import type { RaftStatus } from "../raft/status.js";
import { raftIndex, type ConfigChange, type LogRecord, type NodeId, type RaftIndex, type Term } from "../raft/types.js";
import type { LogStore } from "../storage/index.js";
import type { StoreLogStorage } from "../node/store-log-storage.js";
import { IndexWaiters } from "./index-waiters.js";

/** Timer settings of a node, in ms. */
export interface RaftTimers {
  /** One logical tick. */
  readonly tickMs: number;
  /** Heartbeat period (a whole number of ticks). */
  readonly heartbeatMs: number;
  /** Base election timeout; the randomized one is in [electionMs, 2*electionMs). */
  readonly electionMs: number;
}

/**
 * Input weight (entries proposed, or 1 per other input) taken into one Ready.
 * A bound keeps each Ready's CPU work short, so ticks and peer messages are
 * handled between Readys and a leader under a flood of appends keeps sending
 * heartbeats (a leader stalled past the election timeout would be deposed).
 */
export const readyInputWeightMax = 2048;

/** Defaults chosen for fast failover on a LAN without false elections (see docs/operations.md). */
export const defaultTimers: RaftTimers = { tickMs: 25, heartbeatMs: 50, electionMs: 300 };

/** What the runtime needs. */
export interface RuntimeEnv {
  readonly id: NodeId;
  readonly store: LogStore;
  readonly storage: StoreLogStorage;
  readonly hardState: HardState | undefined;
  /** Records up to here were applied before (from the start-up scan). */
  readonly applied: RaftIndex;
  readonly random: Random;
  readonly timers: RaftTimers;
  readonly logger: Logger;
  /** Sends messages to peers (fire and forget; Raft tolerates loss). */
  readonly send: (messages: readonly Message[]) => void;
  /** Applies committed records, in index order, exactly once. */
  readonly apply: (records: readonly LogRecord[]) => void;
  /** Records made durable on this node (a LEADER write concern waits for these). */
  readonly onDurable?: (records: readonly LogRecord[]) => void;
  /** Entries about to be truncated from this node's log (written to rejected/ by the node). */
  readonly onTruncate?: (records: readonly LogRecord[]) => Promise<void>;
  /** A persist failed: the core was rebuilt from disk and pending callers were failed. */
  readonly onPersistFailure?: (err: unknown) => void;
}

/** A caller's append outcome failed for a reason that leaves it unknown whether it will commit. */
export class OutcomeUnknownError extends Error {
  override readonly name = "OutcomeUnknownError";
}

/** The Ready loop around one core. */
export class RaftRuntime {
  #core: RaftCore;
  #inputs: { readonly run: () => void; readonly weight: number }[] = [];
  #running = false;
  #stopped = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #committed = new IndexWaiters();
  readonly #durable = new IndexWaiters();
  readonly #reads = new Map<string, (index: RaftIndex | undefined) => void>();
  #persistedTerm: Term | undefined;
  #persistedVote: NodeId | undefined;
  #commitSavedAt = 0n;
  #readCounter = 0;
  #applied: RaftIndex;
  /** Resolved when the loop goes idle; used by stop(). */
  #idle: Promise<void> = Promise.resolve();

  constructor(private readonly env: RuntimeEnv) {
    this.#applied = env.applied;
    this.#core = this.#newCore(env.hardState);
    this.#persistedTerm = env.hardState?.term;
    this.#persistedVote = env.hardState?.vote;
    this.#commitSavedAt = env.hardState?.commit ?? 0n;
  }

  #newCore(hardState: HardState | undefined): RaftCore {
    const ticks = (ms: number): number => Math.max(1, Math.round(ms / this.env.timers.tickMs));
    return new RaftCore({
      id: this.env.id,
      storage: this.env.storage,
      ...(hardState ? { hardState } : {}),
      applied: this.#applied,
      random: this.env.random,
      options: {
        electionTicks: ticks(this.env.timers.electionMs),
        heartbeatTicks: ticks(this.env.timers.heartbeatMs),
        // A wide pipeline: many small entries per message, several messages in
        // flight, so a busy leader is not limited by one round trip per 64 records.
        maxRecordsPerMsg: 1024,
        maxInflightMsgs: 32,
      },
    });
  }

  /** Starts ticking. */
  start(): void {
    this.#timer = setInterval(() => this.#enqueue(() => this.#core.tick()), this.env.timers.tickMs);
  }

  /** Stops ticking and waits for the Ready in flight; later inputs are dropped. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#stopped = true;
    await this.#idle;
    await this.#saveCommitHint(true);
  }

  /** Feeds peer messages to the core. */
  step(messages: readonly Message[]): void {
    this.#enqueue(() => {
      for (const m of messages) this.#core.step(m);
    });
  }

  /** Starts an election now (a single voter uses this to lead at once). */
  campaign(): void {
    this.#enqueue(() => this.#core.campaign());
  }

  /**
   * Proposes entries and token changes on the leader. Each outcome carries the
   * term of its record read in the same step as the proposal: read later, the
   * core may already have replaced the record with a newer leader's, and a
   * waiter keyed on that term would acknowledge an append that never happened.
   */
  propose(items: readonly ProposalItem[]): Promise<Result<(ProposalOutcome & { readonly term: Term })[], ProposeError>> {
    return this.#call(() => {
      const r = this.#core.propose(items);
      if (!r.ok) return r;
      return { ok: true as const, value: r.value.map((o) => ({ ...o, term: this.#core.termAt(o.index) as Term })) };
    }, items.length);
  }

  /** Proposes a membership change on the leader; the term is read in the same step (see propose). */
  proposeConfigChange(change: ConfigChange): Promise<Result<{ readonly index: RaftIndex; readonly term: Term }, ProposeConfigError>> {
    return this.#call(() => {
      const r = this.#core.proposeConfigChange(change);
      if (!r.ok) return r;
      return { ok: true as const, value: { index: r.value, term: this.#core.termAt(r.value) as Term } };
    });
  }

  /** Starts a leadership transfer to `to`. */
  transferLeadership(to: NodeId): Promise<ReturnType<RaftCore["transferLeadership"]>> {
    return this.#call(() => this.#core.transferLeadership(to));
  }

  /**
   * Confirms leadership for a consistent read (thesis §6.4). Resolves with the
   * index to wait for, or undefined when leadership could not be confirmed
   * within `timeoutMs`.
   */
  readIndex(timeoutMs: number): Promise<RaftIndex | undefined> {
    const ctx = `r${++this.#readCounter}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(undefined), timeoutMs);
      const done = (index: RaftIndex | undefined): void => {
        clearTimeout(timer);
        this.#reads.delete(ctx);
        resolve(index);
      };
      this.#reads.set(ctx, done);
      this.#enqueue(() => {
        if (!this.#core.readIndex(ctx).ok) done(undefined);
      });
    });
  }

  /** Resolves when the record at `index` is committed with `term`; rejects if it is replaced. */
  waitCommitted(index: RaftIndex, t: Term): Promise<void> {
    if (this.#applied >= index) {
      return this.#core.termAt(index) === t ? Promise.resolve() : Promise.reject(replaced());
    }
    return this.#committed.wait(index, t);
  }

  /** Resolves when the record at `index` with `term` is durable on this node. */
  waitDurable(index: RaftIndex, t: Term): Promise<void> {
    if (this.env.storage.lastIndex() >= index) {
      return this.env.storage.term(index) === t ? Promise.resolve() : Promise.reject(replaced());
    }
    return this.#durable.wait(index, t);
  }

  /** Inputs waiting for the Ready in flight (proposals, messages, ticks). */
  get queued(): number {
    return this.#inputs.length;
  }

  /** A status snapshot. */
  status(): RaftStatus {
    return this.#core.status();
  }

  /** The current leader and term. */
  leader(): { id: NodeId | undefined; term: Term } {
    return { id: this.#core.leaderId(), term: this.#core.currentTerm() };
  }

  /** The term of a record in this node's log. */
  termAt(index: RaftIndex): Term | undefined {
    return this.#core.termAt(index);
  }

  #call<T>(fn: () => T, weight = 1): Promise<T> {
    return new Promise((resolve, reject) => {
      this.#enqueue(() => {
        try {
          resolve(fn());
        } catch (err) {
          reject(err);
        }
      }, weight);
    });
  }

  #enqueue(run: () => void, weight = 1): void {
    if (this.#stopped) return;
    this.#inputs.push({ run, weight });
    if (!this.#running) this.#idle = this.#loop();
  }

  /** Runs queued inputs in order up to {@link readyInputWeightMax} (at least one). */
  #feed(): void {
    let taken = 0;
    let weight = 0;
    while (taken < this.#inputs.length && (taken === 0 || weight + (this.#inputs[taken]?.weight ?? 0) <= readyInputWeightMax)) {
      weight += this.#inputs[taken]?.weight ?? 0;
      taken++;
    }
    for (const input of this.#inputs.splice(0, taken)) input.run();
  }

  async #loop(): Promise<void> {
    this.#running = true;
    try {
      for (;;) {
        try {
          this.#feed();
          if (!this.#core.hasReady()) {
            if (this.#inputs.length === 0) break;
            continue;
          }
          await this.#handle(this.#core.ready());
        } catch (err) {
          // Anything that escapes between ready() and advance() (a failed read
          // of the log, a bug) must not leave the core half-way: rebuild it.
          this.#recover(err);
        }
      }
    } finally {
      this.#running = false;
    }
  }

  async #handle(rd: Ready): Promise<void> {
    const termOrVoteChanged = rd.hardState !== undefined && (rd.hardState.term !== this.#persistedTerm || rd.hardState.vote !== this.#persistedVote);
    const early = this.#core.roleKind() === "leader" && !termOrVoteChanged;
    if (early) this.env.send(rd.messages);
    try {
      await this.#persist(rd, termOrVoteChanged);
    } catch (err) {
      this.#recover(err);
      return;
    }
    if (!early) this.env.send(rd.messages);
    this.env.apply(rd.committed);
    const last = rd.committed[rd.committed.length - 1];
    if (last !== undefined) this.#applied = last.index;
    this.#committed.settle(rd.committed, replaced);
    for (const rs of rd.readStates) this.#reads.get(rs.ctx)?.(rs.index);
    this.#core.advance(rd);
    // Tokens and membership are applied from the log up to the hint at start-up:
    // saving it right after one commits lets a restarted node authenticate at once
    // instead of refusing valid tokens until it has caught up with the leader.
    await this.#saveCommitHint(rd.committed.some((r) => r.payload.kind === "token" || r.payload.kind === "config"));
  }

  async #persist(rd: Ready, termOrVoteChanged: boolean): Promise<void> {
    const { store, storage } = this.env;
    if (termOrVoteChanged && rd.hardState) {
      // The commit saved beside term and vote is the applied index, never the
      // core's: a follower's new commit can point at records this very Ready
      // has not written yet (they may replace divergent ones on disk).
      await store.saveHardState({ term: rd.hardState.term, vote: rd.hardState.vote, commit: this.#applied });
      this.#persistedTerm = rd.hardState.term;
      this.#persistedVote = rd.hardState.vote;
      this.#commitSavedAt = this.#applied;
    }
    if (rd.truncateFrom !== undefined && rd.truncateFrom <= storage.lastIndex()) {
      const dropped = storage.records(rd.truncateFrom, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      await this.env.onTruncate?.(dropped);
      // Guarded by what was applied (committed and durable before this Ready):
      // the core's commit index may already count the records replacing these.
      await store.truncateAfter(raftIndex(rd.truncateFrom - 1n), this.#applied);
      storage.noteTruncated(rd.truncateFrom);
      this.#durable.failFrom(rd.truncateFrom, replaced);
    }
    if (rd.records.length > 0) {
      await store.append(rd.records);
      storage.noteAppended(rd.records);
      this.#durable.settle(rd.records, replaced);
      this.env.onDurable?.(rd.records);
    }
  }

  /**
   * Saves the commit hint now and then: the applied index, which is committed
   * and durable. It lets a restart serve reads at once; it is never needed for safety.
   */
  async #saveCommitHint(force: boolean): Promise<void> {
    const commit = this.#applied;
    if (this.#persistedTerm === undefined || commit === this.#commitSavedAt) return;
    if (!force && commit - this.#commitSavedAt < 1024n) return;
    try {
      await this.env.store.saveHardState({ term: this.#persistedTerm, vote: this.#persistedVote, commit });
      this.#commitSavedAt = commit;
    } catch (err) {
      // Only a hint: a full disk must not take the node down; the next save retries.
      this.env.logger.warn("could not save the commit hint", { error: (err as Error).message });
    }
  }

  /**
   * A write failed (a full disk, say). The core believes its Ready was
   * persisted once advanced, so it is not advanced: it is rebuilt from what
   * is on disk, as after a restart, and every pending caller is failed.
   */
  #recover(err: unknown): void {
    this.env.logger.error("raft: persisting a Ready failed; rebuilding the core from disk", { error: (err as Error).message });
    // Rebuilt from what is known durable and committed: the applied index, not
    // the core's commit (it may count records that were never written).
    const hard: HardState = { term: this.#persistedTerm ?? (0n as Term), vote: this.#persistedVote, commit: this.#applied };
    this.#core = this.#newCore(hard);
    const failure = (): Error => Object.assign(new OutcomeUnknownError("the node could not persist the append"), { cause: err });
    this.#durable.failAll(failure);
    this.#committed.failAll(failure);
    this.env.onPersistFailure?.(err);
  }
}

function replaced(): Error {
  return new OutcomeUnknownError("the record was replaced by a newer leader's; retry with the same id");
}
