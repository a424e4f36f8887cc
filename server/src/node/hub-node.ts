/**
 * A hub node: the Raft runtime plus what the hub keeps beside the log — the
 * token table, the address book and the commit signal readers wait on. The
 * append path (validation happens before, in the RPC layer) proposes to the
 * core, which stamps seqs and deduplicates ids against the whole log, then
 * waits for the write concern.
 */
import type { TokenTable } from "../auth/token-table.js";
import type { PeerDirectory } from "../cluster/peer-directory.js";
import { OutcomeUnknownError, type RaftRuntime } from "../cluster/raft-runtime.js";
import { HubError } from "../hub-error.js";
import type { ProposalItem, ProposeError } from "../raft/proposals.js";
import { seq, type LogRecord, type NodeId, type RaftIndex, type Seq, type StoredEntry, type Term, type TokenChange } from "../raft/types.js";
import type { EntryDraft } from "../rpc/entry-validation.js";
import { StorageError } from "../storage/index.js";
import { CommitSignal } from "./commit-signal.js";
import { storageToHubError } from "./storage-errors.js";
import type { EntryFilter, EntryLog, EntryPage } from "./entry-log.js";

/** The outcome of appending one entry. */
export interface AppendOutcome {
  readonly id: string;
  readonly seq: Seq;
  /** True when the id was already in the log; seq is the original. */
  readonly duplicate: boolean;
}

/** Inputs queued behind the Ready in flight before appends are pushed back (`overloaded`). */
export const queuedInputsMax = 20_000;

/** When an append is acknowledged (DESIGN §4). */
export type WriteConcern = "majority" | "leader";

/** What a HubNode needs from its surroundings. */
export interface HubNodeEnv {
  readonly nodeId: NodeId;
  readonly runtime: RaftRuntime;
  readonly log: EntryLog & { readonly storageError: string };
  readonly tokens: TokenTable;
  readonly directory: PeerDirectory;
  readonly nowMs: () => number;
  /** Seq of the last entry already applied at start. */
  readonly appliedSeq: Seq;
  /** How long an append may wait for its write concern before answering `unavailable`. */
  readonly appendTimeoutMs: number;
  /**
   * TEST FIXTURE ONLY (control/test-breaks.ts, `serve-uncommitted`): widens how
   * far reads serve. Absent in every real hub: reads stop at the commit seq.
   */
  readonly readableSeq?: () => Seq;
}

/** A hub node. */
export class HubNode {
  readonly commit: CommitSignal;
  readonly #startedAtMs: number;

  constructor(private readonly env: HubNodeEnv) {
    this.commit = new CommitSignal(env.appliedSeq);
    this.#startedAtMs = env.nowMs();
  }

  /** This node's id. */
  get nodeId(): string {
    return this.env.nodeId;
  }

  /** The current term. */
  get term(): bigint {
    return this.env.runtime.leader().term;
  }

  /** The leader this node knows of in the current term (itself when it leads), or "" when none. */
  get leaderId(): string {
    return this.env.runtime.leader().id ?? "";
  }

  /** Milliseconds since the node started. */
  get uptimeMs(): number {
    return this.env.nowMs() - this.#startedAtMs;
  }

  /** The token table (state of the committed `token` records). */
  get tokens(): TokenTable {
    return this.env.tokens;
  }

  /** The address book. */
  get directory(): PeerDirectory {
    return this.env.directory;
  }

  /** The runtime, for status and operations. */
  get runtime(): RaftRuntime {
    return this.env.runtime;
  }

  /** "" when this node can write to its disk; otherwise why not. */
  get storageError(): string {
    return this.env.log.storageError;
  }

  /** Applies committed records (called by the runtime in index order, exactly once). */
  apply(records: readonly LogRecord[]): void {
    let last: Seq | undefined;
    for (const r of records) {
      const p = r.payload;
      if (p.kind === "entry") last = p.entry.seq;
      else if (p.kind === "token") this.env.tokens.apply(p.change);
      else if (p.kind === "config") this.env.directory.learnChange(p.change);
    }
    if (last !== undefined) this.commit.advance(seq(last));
  }

  /**
   * Appends a batch, idempotently by id, and resolves once every entry meets
   * the write concern. Entries of a batch are appended in order.
   */
  async append(drafts: readonly EntryDraft[], origin: string, concern: WriteConcern = "majority"): Promise<AppendOutcome[]> {
    this.#checkStorage();
    const items: ProposalItem[] = drafts.map((d) => ({ kind: "entry", entry: { ...d, origin, committedAtMs: this.env.nowMs() } }));
    const outcomes = await this.#propose(items);
    await this.#await(outcomes, concern);
    return outcomes.map((o, i) => ({ id: drafts[i]?.id ?? "", seq: o.seq ?? seq(0), duplicate: o.kind === "duplicate" }));
  }

  /**
   * Appends entries re-submitted by another node (write concern LEADER, DESIGN
   * §4), keeping their origin and ids; resolves once committed.
   */
  async resubmit(entries: readonly StoredEntry[]): Promise<number> {
    this.#checkStorage();
    const items: ProposalItem[] = entries.map((e) => ({ kind: "entry", entry: { id: e.id, type: e.type, content: e.content, meta: e.meta, createdAtMs: e.createdAtMs, origin: e.origin, committedAtMs: this.env.nowMs() } }));
    const outcomes = await this.#propose(items);
    await this.#await(outcomes, "majority");
    return outcomes.filter((o) => o.kind === "appended").length;
  }

  /** Commits a token change; resolves once it is applied to the table. */
  async proposeToken(change: TokenChange): Promise<void> {
    this.#checkStorage();
    const outcomes = await this.#propose([{ kind: "token", change }]);
    await this.#await(outcomes, "majority");
  }

  /** The last seq Read and Listen may serve: the commit seq (DESIGN §4: reads return committed entries only). */
  get readableSeq(): Seq {
    return this.env.readableSeq?.() ?? this.commit.seq;
  }

  /** A page of entries after `afterSeq`, up to {@link readableSeq}. */
  read(afterSeq: Seq, limit: number, filter: EntryFilter): Promise<EntryPage> {
    return this.env.log.readEntries(afterSeq, { limit, throughSeqMax: this.readableSeq, filter });
  }

  /** The NotLeader error for this node's current view. */
  notLeader(): HubError {
    const { id, term } = this.env.runtime.leader();
    const leaderId = id && id !== this.env.nodeId ? id : "";
    const leaderUrl = leaderId ? this.env.directory.clientUrl(leaderId) : "";
    const where = leaderId ? `the leader is ${leaderId} at ${leaderUrl || "an unknown address"}` : "no leader is known";
    return new HubError({ kind: "notLeader", leaderId, leaderUrl, term }, `this node is not the leader; ${where}`);
  }

  #checkStorage(): void {
    if (this.env.runtime.queued > queuedInputsMax) {
      throw new HubError({ kind: "overloaded", retryAfterMs: 50 }, `${this.env.runtime.queued} requests are queued; retry shortly`);
    }
    const reason = this.env.log.storageError;
    if (reason) throw new HubError({ kind: "storageFull", reason }, `cannot write: ${reason}`);
  }

  async #propose(items: readonly ProposalItem[]) {
    const r = await this.env.runtime.propose(items);
    if (!r.ok) throw this.#proposeError(r.error);
    return r.value;
  }

  #proposeError(e: ProposeError): HubError {
    if (e.kind === "notLeader") return this.notLeader();
    return new HubError({ kind: "notLeader", leaderId: "", leaderUrl: "", term: this.term }, `leadership is moving to ${e.transferee}; retry shortly`);
  }

  /** Waits for each record (index and the term it had when proposed) to meet the write concern. */
  async #await(records: readonly { readonly index: RaftIndex; readonly term: Term }[], concern: WriteConcern): Promise<void> {
    const rt = this.env.runtime;
    const waits = records.map(({ index, term: t }) => (concern === "leader" ? rt.waitDurable(index, t) : rt.waitCommitted(index, t)));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new OutcomeUnknownError(`not ${concern === "leader" ? "durable" : "committed"} within ${this.env.appendTimeoutMs} ms`)), this.env.appendTimeoutMs);
    });
    try {
      await Promise.race([Promise.all(waits), timeout]);
    } catch (err) {
      for (const w of waits) w.catch(() => undefined);
      // A failed write on this node (full disk): tell the client why, not just "unknown".
      if (err instanceof OutcomeUnknownError && err.cause instanceof StorageError) throw storageToHubError(err.cause);
      if (err instanceof OutcomeUnknownError) throw new HubError({ kind: "unavailable" }, `${err.message}; the append may or may not take effect: retry with the same ids`);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}
