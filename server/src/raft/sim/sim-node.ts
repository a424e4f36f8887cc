/**
 * One simulated node: a real RaftCore driven exactly as the runtime must drive it
 * (persist, then send, then apply, then advance), a simulated disk, an input queue
 * that holds inputs while a Ready is being persisted, and a listener.
 */
import { RaftCore } from "../core.js";
import type { Message } from "../messages.js";
import type { ProposedEntry } from "../proposals.js";
import type { Random } from "../random.js";
import type { Ready } from "../ready.js";
import type { CoreOptions } from "../state.js";
import type { ConfigChange, LogRecord, NodeId, RaftIndex, Seq } from "../types.js";
import { raftIndex } from "../types.js";
import { SimDisk } from "./disk.js";
import type { SimFaults } from "./params.js";

/** What a client hears back. `accepted` is followed by `acked` or by silence. */
export type ClientReply =
  | { readonly kind: "notLeader"; readonly leader: NodeId | undefined }
  | { readonly kind: "accepted" }
  | { readonly kind: "acked"; readonly seq: Seq };

/** One queued input. */
export type NodeInput =
  | { readonly kind: "msg"; readonly m: Message }
  | { readonly kind: "tick" }
  | { readonly kind: "append"; readonly entry: ProposedEntry; readonly reply: (r: ClientReply) => void }
  | { readonly kind: "config"; readonly change: ConfigChange }
  | { readonly kind: "transfer"; readonly to: NodeId };

/** How a node reports to the cluster (network and invariant checkers). */
export interface NodeHooks {
  /** Puts a message on the network. */
  send(now: number, m: Message): void;
  /** Reports records written to the disk (log matching is checked here). */
  onWrite(node: SimNode, truncateFrom: RaftIndex | undefined, records: readonly LogRecord[]): void;
  /** Reports a record applied (committed prefixes and listeners are checked here). */
  onApply(node: SimNode, record: LogRecord): void;
  /** Adds a lazily formatted event to the trace. */
  onEvent(make: () => string): void;
  /** Reports a membership change the leader accepted. */
  onConfigAccepted(node: SimNode, change: ConfigChange): void;
}

/** A node of the simulated cluster. */
export class SimNode {
  core: RaftCore | undefined;
  readonly disk = new SimDisk();
  private inbox: NodeInput[] = [];
  private inflight: { rd: Ready; syncAt: number; sent: boolean } | undefined;
  private readonly waiters = new Map<bigint, { id: string; reply: (r: ClientReply) => void }>();
  /** Last index applied in this incarnation; the listener's cursor is `listenerSeq`. */
  appliedIndex: RaftIndex = raftIndex(0);
  listenerSeq = 0n;
  incarnation = 0;
  downUntil = 0;
  retired = false;

  constructor(
    readonly id: NodeId,
    private readonly options: Partial<CoreOptions>,
    private readonly faults: SimFaults,
    private readonly hooks: NodeHooks,
  ) {}

  /** Starts (or restarts) the core from what the disk holds durably. */
  start(random: Random): void {
    const { storage, hardState } = this.disk.crash();
    this.incarnation++;
    this.inbox = [];
    this.inflight = undefined;
    this.appliedIndex = raftIndex(0);
    this.listenerSeq = 0n;
    const init = { id: this.id, storage, random, options: this.options };
    this.core = new RaftCore(hardState === undefined ? init : { ...init, hardState });
  }

  /** Stops the node; unsynced writes are lost, pending client requests get no answer. */
  crash(downUntil: number): void {
    this.core = undefined;
    this.inbox = [];
    this.inflight = undefined;
    this.waiters.clear();
    this.downUntil = downUntil;
    this.disk.crash();
  }

  /** Whether the node is running. */
  up(): boolean {
    return this.core !== undefined;
  }

  /** Whether a Ready waits for its fsync (the crash-while-syncing fault targets this). */
  syncing(): boolean {
    return this.inflight !== undefined && this.disk.syncing();
  }

  /** Queues an input; dropped if the node is down. */
  enqueue(input: NodeInput): void {
    if (this.core !== undefined) this.inbox.push(input);
  }

  /** Runs the node until it waits for an fsync or has nothing to do. */
  pump(now: number, fsyncTicks: () => number): void {
    const core = this.core;
    if (core === undefined) return;
    for (;;) {
      if (this.inflight !== undefined) {
        if (now < this.inflight.syncAt) return;
        this.finish(now, core, this.inflight.rd, this.inflight.sent);
      }
      for (const input of this.inbox.splice(0)) this.handle(core, input);
      if (!core.hasReady()) return;
      const rd = core.ready();
      this.disk.write(rd.hardState, rd.truncateFrom, rd.records);
      if (rd.records.length > 0) this.hooks.onWrite(this, rd.truncateFrom, rd.records);
      const early = this.faults.sendBeforePersist === true;
      if (early) this.sendAll(now, rd);
      const durable = rd.hardState !== undefined || rd.truncateFrom !== undefined || rd.records.length > 0;
      this.inflight = { rd, syncAt: durable ? now + fsyncTicks() : now, sent: early };
    }
  }

  private finish(now: number, core: RaftCore, rd: Ready, sent: boolean): void {
    this.disk.sync();
    if (!sent) this.sendAll(now, rd);
    for (const r of rd.committed) this.apply(r);
    this.inflight = undefined;
    core.advance(rd);
  }

  private sendAll(now: number, rd: Ready): void {
    for (const m of rd.messages) this.hooks.send(now, m);
  }

  private apply(r: LogRecord): void {
    this.hooks.onApply(this, r);
    this.appliedIndex = r.index;
    const w = this.waiters.get(r.index);
    if (w === undefined) return;
    this.waiters.delete(r.index);
    if (r.payload.kind === "entry" && r.payload.entry.id === w.id) w.reply({ kind: "acked", seq: r.payload.entry.seq });
  }

  private handle(core: RaftCore, input: NodeInput): void {
    switch (input.kind) {
      case "msg":
        core.step(input.m);
        return;
      case "tick":
        core.tick();
        return;
      case "config": {
        const res = core.proposeConfigChange(input.change);
        if (res.ok) this.hooks.onConfigAccepted(this, input.change);
        this.hooks.onEvent(() => `${this.id} config ${JSON.stringify(input.change)}: ${JSON.stringify(res, big)}`);
        return;
      }
      case "transfer": {
        const res = core.transferLeadership(input.to);
        this.hooks.onEvent(() => `${this.id} transfer to ${input.to}: ${JSON.stringify(res, big)}`);
        return;
      }
      case "append":
        this.append(core, input.entry, input.reply);
        return;
    }
  }

  private append(core: RaftCore, entry: ProposedEntry, reply: (r: ClientReply) => void): void {
    const res = core.propose([{ kind: "entry", entry }]);
    if (!res.ok) {
      reply({ kind: "notLeader", leader: res.error.kind === "notLeader" ? res.error.leader : this.id });
      return;
    }
    const outcome = res.value[0];
    if (outcome === undefined) return;
    this.hooks.onEvent(() => `${this.id} append ${entry.id} -> ${outcome.kind} idx=${outcome.index} seq=${outcome.seq}`);
    if (outcome.index <= this.appliedIndex && outcome.seq !== undefined) {
      reply({ kind: "acked", seq: outcome.seq });
      return;
    }
    this.waiters.set(outcome.index, { id: entry.id, reply });
    reply({ kind: "accepted" });
  }
}

/** JSON replacer for bigint. */
export function big(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
