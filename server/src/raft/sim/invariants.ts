/**
 * The DESIGN §9 invariants, checked incrementally as the simulation runs so that a
 * check after every step stays cheap. Each failure throws a SimViolation.
 */
import type { RaftCore } from "../core.js";
import type { LogRecord, NodeId, Payload, RaftIndex, Term } from "../types.js";
import { raftIndex } from "../types.js";
import { check } from "./violation.js";

/** A short identity of a payload, equal for equal records. */
export function payloadKey(p: Payload): string {
  switch (p.kind) {
    case "entry":
      return `e:${p.entry.id}:${p.entry.seq}:${p.entry.term}`;
    case "noop":
      return "n";
    case "config":
      return `c:${p.change.kind}:${p.change.nodeId}`;
    case "token":
      return `t:${p.change.kind}:${p.change.tokenId}`;
  }
}

interface CommitInfo {
  readonly term: Term;
  /** The term of the node that was first seen with this index committed (a leader). */
  readonly commitTerm: Term;
}

/** Cluster-wide knowledge accumulated from every node's writes and applies. */
export class InvariantChecker {
  private readonly leaders = new Map<bigint, NodeId>();
  private readonly seen = new Map<string, { key: string; prevTerm: Term | undefined }>();
  /** The committed log as the nodes applied it (index i at i-1). */
  readonly committed: LogRecord[] = [];
  private readonly committedIds = new Set<string>();
  private lastSeq = 0n;
  private readonly commits: CommitInfo[] = [];
  private readonly checkedLeaders = new Map<string, number>();

  /** §9.1: at most one leader per term. Returns whether this leader is newly seen. */
  observeLeader(id: NodeId, t: Term): boolean {
    const prev = this.leaders.get(t);
    check(prev === undefined || prev === id, "§9.1 one leader per term", () => `${prev} and ${id} both lead term ${t}`);
    this.leaders.set(t, id);
    return prev === undefined;
  }

  /** §9.2 log matching: the same (index, term) always holds the same record and follows the same term. */
  observeWrite(id: NodeId, records: readonly LogRecord[], termBefore: (i: RaftIndex) => Term | undefined): void {
    for (const r of records) {
      const k = `${r.index}:${r.term}`;
      const key = payloadKey(r.payload);
      const prevTerm = termBefore(raftIndex(r.index - 1n));
      const old = this.seen.get(k);
      if (old === undefined) {
        this.seen.set(k, { key, prevTerm });
        continue;
      }
      check(old.key === key, "§9.2 log matching", () => `${id} holds ${key} at ${k}, another node ${old.key}`);
      check(old.prevTerm === prevTerm, "§9.2 log matching", () => `${id}: record before ${k} has term ${prevTerm}, elsewhere ${old.prevTerm}`);
    }
  }

  /**
   * §9.4 committed prefixes agree, §9.6 no id twice, dense seqs: every applied record
   * must match the committed log so far, or extend it by one.
   */
  observeApply(id: NodeId, r: LogRecord): void {
    const i = Number(r.index);
    const known = this.committed[i - 1];
    if (known !== undefined) {
      check(known.term === r.term && payloadKey(known.payload) === payloadKey(r.payload), "§9.4 committed prefixes agree", () =>
        `${id} applied ${payloadKey(r.payload)}@${r.term} at ${i}, others ${payloadKey(known.payload)}@${known.term}`,
      );
      return;
    }
    check(i === this.committed.length + 1, "§9.4 committed prefixes agree", () => `${id} applied ${i} past ${this.committed.length}`);
    this.committed.push(r);
    if (r.payload.kind !== "entry") return;
    const e = r.payload.entry;
    check(!this.committedIds.has(e.id), "§9.6 no id twice", () => `${e.id} committed twice (again at ${i})`);
    this.committedIds.add(e.id);
    check(e.seq === this.lastSeq + 1n, "DESIGN §3 dense seqs", () => `seq ${e.seq} at ${i} after ${this.lastSeq}`);
    this.lastSeq = e.seq;
  }

  /** Notes a node's commit index; the first node to reach an index is the leader that committed it. */
  observeCommit(core: RaftCore): void {
    const commit = Number(core.commitIndex());
    for (let i = this.commits.length + 1; i <= commit; i++) {
      const t = core.termAt(raftIndex(i));
      check(t !== undefined, "§9.4 committed prefixes agree", () => `commit ${i} past the log`);
      this.commits.push({ term: t as Term, commitTerm: core.currentTerm() });
    }
  }

  /** §9.3: a leader of term T holds every record committed in a term before T. */
  checkLeaderCompleteness(id: NodeId, core: RaftCore): void {
    const t = core.currentTerm();
    const tag = `${id}:${t}`;
    const from = this.checkedLeaders.get(tag) ?? 0;
    if (from === this.commits.length) return;
    this.checkedLeaders.set(tag, this.commits.length);
    for (let i = from; i < this.commits.length; i++) {
      const c = this.commits[i] as CommitInfo;
      if (c.commitTerm >= t) continue;
      const mine = core.termAt(raftIndex(i + 1));
      check(mine === c.term, "§9.3 committed entries in later leaders", () =>
        `leader ${id} of term ${t} has term ${mine} at ${i + 1}, committed ${c.term} in term ${c.commitTerm}`,
      );
    }
  }

  /** §9.5: every acknowledged append is in the committed log once, at the seq it was acked with. */
  checkAcked(acked: ReadonlyMap<string, bigint>): void {
    const seqOf = new Map<string, bigint>();
    for (const r of this.committed) if (r.payload.kind === "entry") seqOf.set(r.payload.entry.id, r.payload.entry.seq);
    for (const [id, s] of acked) {
      check(seqOf.get(id) === s, "§9.5 acknowledged appends survive", () => `${id} acked at seq ${s}, committed at ${seqOf.get(id)}`);
    }
  }
}
