/**
 * A hub node in `single` mode: a cluster of one whose log is committed as soon
 * as it is durable on its own disk. Owns the append path (validation happens
 * before, in the RPC layer), idempotency by entry id, the token table and the
 * commit signal that readers wait on.
 */
import { seq, type LogRecord, type Seq, type TokenChange } from "../raft/types.js";
import type { TokenTable } from "../auth/token-table.js";
import type { EntryDraft } from "../rpc/entry-validation.js";
import { AppendBatcher } from "./append-batcher.js";
import { CommitSignal } from "./commit-signal.js";
import type { EntryFilter, EntryLog, EntryPage } from "./entry-log.js";

/** The outcome of appending one entry. */
export interface AppendOutcome {
  readonly id: string;
  readonly seq: Seq;
  /** True when the id was already in the log (or in flight); seq is the original. */
  readonly duplicate: boolean;
}

/** What a HubNode needs from its surroundings. */
export interface HubNodeEnv {
  readonly nodeId: string;
  readonly log: EntryLog;
  readonly tokens: TokenTable;
  readonly nowMs: () => number;
}

/** The single-node runtime. */
export class HubNode {
  readonly commit: CommitSignal;
  readonly #batcher: AppendBatcher;
  /** Ids proposed but not yet durable: concurrent identical appends share one entry. */
  readonly #inFlight = new Map<string, Promise<Seq>>();
  readonly #startedAtMs: number;
  #term = 1n;

  constructor(private readonly env: HubNodeEnv) {
    this.commit = new CommitSignal(env.log.lastSeq);
    this.#startedAtMs = env.nowMs();
    this.#batcher = new AppendBatcher({
      log: env.log,
      term: () => this.#term,
      nowMs: env.nowMs,
      onDurable: (records) => this.#onDurable(records),
    });
  }

  /** This node's id. */
  get nodeId(): string {
    return this.env.nodeId;
  }

  /** The current term (always 1 for a single node until Raft runs it). */
  get term(): bigint {
    return this.#term;
  }

  /** Milliseconds since the node started. */
  get uptimeMs(): number {
    return this.env.nowMs() - this.#startedAtMs;
  }

  /** The token table (state of the committed `token` records). */
  get tokens(): TokenTable {
    return this.env.tokens;
  }

  /** The log's last Raft index. */
  get lastIndex(): bigint {
    return this.env.log.lastIndex;
  }

  /**
   * Appends a batch, idempotently by id. Entries of one batch are appended in
   * order; each resolves with its seq once durable (committed, for one node).
   */
  append(drafts: readonly EntryDraft[], origin: string): Promise<AppendOutcome[]> {
    return Promise.all(drafts.map((d) => this.#appendOne(d, origin)));
  }

  /** Commits a token change; resolves once it is applied to the table. */
  async proposeToken(change: TokenChange): Promise<void> {
    await this.#batcher.propose({ kind: "token", change });
  }

  /** A page of committed entries after `afterSeq`. */
  read(afterSeq: Seq, limit: number, filter: EntryFilter): Promise<EntryPage> {
    return this.env.log.readEntries(afterSeq, { limit, throughSeqMax: this.commit.seq, filter });
  }

  #appendOne(draft: EntryDraft, origin: string): Promise<AppendOutcome> {
    const pending = this.#inFlight.get(draft.id);
    if (pending) return pending.then((s) => ({ id: draft.id, seq: s, duplicate: true }));
    // Registered synchronously, before any await, so a concurrent identical
    // append finds it above (DESIGN §3, idempotency).
    let duplicate = false;
    const result = (async (): Promise<Seq> => {
      const found = await this.env.log.lookupId(draft.id);
      if (found) {
        duplicate = true;
        return found.seq;
      }
      const rec = await this.#batcher.propose({ kind: "entry", draft, origin });
      if (rec.payload.kind !== "entry") throw new Error("assertion: entry proposal stamped as " + rec.payload.kind);
      return rec.payload.entry.seq;
    })();
    this.#inFlight.set(draft.id, result);
    const clear = (): void => {
      if (this.#inFlight.get(draft.id) === result) this.#inFlight.delete(draft.id);
    };
    result.then(clear, clear);
    return result.then((s) => ({ id: draft.id, seq: s, duplicate }));
  }

  #onDurable(records: readonly LogRecord[]): void {
    let last: Seq | undefined;
    for (const r of records) {
      if (r.payload.kind === "token") this.env.tokens.apply(r.payload.change);
      if (r.payload.kind === "entry") last = r.payload.entry.seq;
    }
    if (last !== undefined) this.commit.advance(seq(last));
  }
}
