/**
 * Group commit at the node: proposals that arrive while a write is in flight
 * are stamped and written together in the next one, so N concurrent appends
 * cost one fdatasync. Stamping (index, seq) happens only at flush time, in one
 * synchronous step, so a failed write never leaves a gap in indexes or seqs.
 */
import { raftIndex, seq, term, type LogRecord, type Payload, type Seq, type StoredEntry, type TokenChange } from "../raft/types.js";
import type { EntryDraft } from "../rpc/entry-validation.js";
import type { EntryLog } from "./entry-log.js";

/** Records written in one flush at most; the rest wait for the next flush. */
export const batchRecordsMax = 4096;

/** Something to put in the log. */
export type Proposal =
  | { readonly kind: "entry"; readonly draft: EntryDraft; readonly origin: string }
  | { readonly kind: "token"; readonly change: TokenChange };

interface Pending {
  readonly proposal: Proposal;
  readonly resolve: (r: LogRecord) => void;
  readonly reject: (e: unknown) => void;
}

/** Environment of the batcher. */
export interface BatcherEnv {
  readonly log: EntryLog;
  readonly term: () => bigint;
  readonly nowMs: () => number;
  /** Called after a flush is durable, with its records in log order. */
  readonly onDurable: (records: readonly LogRecord[]) => void;
}

/** Queues proposals and writes them in batches, one write in flight at a time. */
export class AppendBatcher {
  #queue: Pending[] = [];
  #flushing = false;

  constructor(private readonly env: BatcherEnv) {}

  /** Resolves with the stamped record once it is durable. */
  propose(proposal: Proposal): Promise<LogRecord> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ proposal, resolve, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  /** Proposals waiting for the next write. */
  get queued(): number {
    return this.#queue.length;
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, batchRecordsMax);
      const records = this.#stamp(batch);
      try {
        await this.env.log.append(records);
      } catch (err) {
        for (const p of batch) p.reject(err);
        continue;
      }
      this.env.onDurable(records);
      batch.forEach((p, i) => p.resolve(records[i] as LogRecord));
    }
    this.#flushing = false;
  }

  #stamp(batch: readonly Pending[]): LogRecord[] {
    let index = this.env.log.lastIndex;
    let lastSeq: Seq = this.env.log.lastSeq;
    const t = term(this.env.term());
    const now = this.env.nowMs();
    return batch.map(({ proposal }) => {
      index = raftIndex(index + 1n);
      let payload: Payload;
      if (proposal.kind === "entry") {
        lastSeq = seq(lastSeq + 1n);
        const entry: StoredEntry = { ...proposal.draft, seq: lastSeq, origin: proposal.origin, term: t, committedAtMs: now };
        payload = { kind: "entry", entry };
      } else {
        payload = { kind: "token", change: proposal.change };
      }
      return { index, term: t, payload };
    });
  }
}
