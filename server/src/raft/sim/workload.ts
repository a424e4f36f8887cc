/**
 * The client workload: idempotent appends with retries. A client keeps one append
 * outstanding, sends it to the node it believes leads, and retries with the same id
 * (DESIGN §3) on a redirect, a timeout, or a lost answer, until it is acknowledged.
 */
import type { Random } from "../random.js";
import type { NodeId } from "../types.js";
import type { ClientReply } from "./sim-node.js";
import type { ProposedEntry } from "../proposals.js";

/** One outstanding append. */
interface Pending {
  readonly id: string;
  sentAt: number;
  attempts: number;
}

/** Where a client's request goes: the cluster puts it in a node's input queue. */
export type SubmitFn = (to: NodeId, entry: ProposedEntry, reply: (r: ClientReply) => void) => void;

/** A client issuing appends one at a time. */
export class SimClient {
  private pending: Pending | undefined;
  private leaderHint: NodeId | undefined;
  private counter = 0;
  /** Acknowledged ids and the seq each was acknowledged with. */
  readonly acked = new Map<string, bigint>();

  constructor(
    readonly name: string,
    private readonly random: Random,
    private readonly nodes: () => readonly NodeId[],
    private readonly retryTicks: number,
  ) {}

  /** Whether an append waits for its acknowledgement. */
  busy(): boolean {
    return this.pending !== undefined;
  }

  /** Starts a new append (its id is fresh); no-op while one is outstanding. */
  begin(now: number): void {
    if (this.pending !== undefined) return;
    this.counter++;
    this.pending = { id: `${this.name}-${this.counter}`, sentAt: now - this.retryTicks, attempts: 0 };
  }

  /** Sends or re-sends the outstanding append when it is due. */
  tick(now: number, submit: SubmitFn): void {
    const p = this.pending;
    if (p === undefined || now - p.sentAt < this.retryTicks) return;
    const all = this.nodes();
    const to = this.leaderHint ?? all[this.random.nextInt(all.length)];
    if (to === undefined) return;
    this.leaderHint = undefined;
    p.sentAt = now;
    p.attempts++;
    const entry: ProposedEntry = { id: p.id, type: "task", content: `${p.id}#${p.attempts}`, meta: {}, createdAtMs: now, origin: this.name, committedAtMs: now };
    submit(to, entry, (r) => this.onReply(now, p, r));
  }

  private onReply(now: number, p: Pending, r: ClientReply): void {
    if (this.pending !== p) return;
    if (r.kind === "acked") {
      const before = this.acked.get(p.id);
      if (before !== undefined && before !== r.seq) throw new Error(`${p.id} acked twice with different seqs`);
      this.acked.set(p.id, r.seq);
      this.pending = undefined;
    } else if (r.kind === "notLeader") {
      this.leaderHint = r.leader;
      p.sentAt = now - this.retryTicks + 2;
    }
  }
}
