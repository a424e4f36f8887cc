/**
 * The cluster an interaction script drives: real cores on in-memory storage, a
 * FIFO network the script delivers and drops by hand, and crash/restart from what was
 * persisted. Handling a Ready follows the contract exactly: persist, send, apply,
 * advance. Pure: the test runner does the file I/O.
 */
import { bootstrapState } from "../bootstrap.js";
import { RaftCore } from "../core.js";
import { MemoryStorage } from "../memory-storage.js";
import type { Message } from "../messages.js";
import { seededRandom } from "../random.js";
import type { HardState, Ready } from "../ready.js";
import type { CoreOptions } from "../state.js";
import type { NodeId } from "../types.js";
import { formatMessage, formatRecord } from "./format.js";

/** One scripted node: its disk survives crashes, its core does not. */
export interface ScriptNode {
  readonly id: NodeId;
  readonly storage: MemoryStorage;
  hard: HardState | undefined;
  core: RaftCore | undefined;
  /** A Ready taken with `ready` but not yet handled. */
  pending: Ready | undefined;
  incarnation: number;
}

/** The scripted cluster. */
export class ScriptCluster {
  readonly nodes = new Map<NodeId, ScriptNode>();
  /** Messages sent and not yet delivered, oldest first. */
  queue: Message[] = [];
  private readonly blocked = new Set<string>();
  options: Partial<CoreOptions> = {};

  /** Adds a node; `voters` non-empty formats its disk with that bootstrap config. */
  addNode(id: NodeId, voters: readonly NodeId[]): void {
    const boot = voters.length > 0 ? bootstrapState(voters) : undefined;
    const node: ScriptNode = { id, storage: new MemoryStorage(boot?.records ?? []), hard: boot?.hardState, core: undefined, pending: undefined, incarnation: 0 };
    this.nodes.set(id, node);
    this.start(node);
  }

  /** Starts a node's core from its disk (a restart after a crash). */
  start(node: ScriptNode): void {
    node.incarnation++;
    const seed = [...node.id].reduce((h, c) => h * 31 + c.charCodeAt(0), node.incarnation * 7919);
    const init = { id: node.id, storage: node.storage, random: seededRandom(seed), options: this.options };
    node.core = new RaftCore(node.hard === undefined ? init : { ...init, hardState: node.hard });
  }

  /** The node, or an error naming it. */
  node(id: NodeId): ScriptNode {
    const n = this.nodes.get(id);
    if (n === undefined) throw new Error(`no node ${id}`);
    return n;
  }

  /** The running core of a node, or an error. */
  core(id: NodeId): RaftCore {
    const c = this.node(id).core;
    if (c === undefined) throw new Error(`${id} is down`);
    return c;
  }

  /** Node ids in order. */
  ids(): NodeId[] {
    return [...this.nodes.keys()].sort();
  }

  /** Takes a node's Ready without handling it. */
  takeReady(n: ScriptNode): Ready | undefined {
    if (n.pending !== undefined) return n.pending;
    if (n.core === undefined || !n.core.hasReady()) return undefined;
    n.pending = n.core.ready();
    return n.pending;
  }

  /** Handles a node's Readys until it has none: persist, send, apply, advance. */
  process(n: ScriptNode): string[] {
    const out: string[] = [];
    for (let rd = this.takeReady(n); rd !== undefined; rd = this.takeReady(n)) {
      out.push(...this.persist(n, rd));
      for (const m of rd.messages) {
        this.queue.push(m);
        out.push(`${n.id} send ${formatMessage(m)}`);
      }
      for (const r of rd.committed) out.push(`${n.id} apply ${formatRecord(r)}`);
      for (const r of rd.readStates) out.push(`${n.id} read-state ctx=${r.ctx} index=${r.index}`);
      n.pending = undefined;
      n.core?.advance(rd);
    }
    return out;
  }

  private persist(n: ScriptNode, rd: Ready): string[] {
    const out: string[] = [];
    if (rd.hardState !== undefined) {
      n.hard = rd.hardState;
      out.push(`${n.id} persist hard term=${rd.hardState.term} vote=${rd.hardState.vote ?? "-"} commit=${rd.hardState.commit}`);
    }
    if (rd.truncateFrom !== undefined) out.push(`${n.id} persist truncate from ${rd.truncateFrom}`);
    if (rd.records.length > 0) out.push(`${n.id} persist ${rd.records.map(formatRecord).join(", ")}`);
    n.storage.write(rd.truncateFrom, rd.records);
    return out;
  }

  /** Delivers queued messages matching `filter` (at most `max`); blocked links drop them. */
  deliver(filter: (m: Message) => boolean, max = Number.MAX_SAFE_INTEGER): string[] {
    const out: string[] = [];
    const keep: Message[] = [];
    let delivered = 0;
    for (const m of this.queue) {
      const to = this.nodes.get(m.to);
      if (delivered >= max || !filter(m) || to?.pending !== undefined) {
        keep.push(m);
        continue;
      }
      delivered++;
      if (this.blocked.has(`${m.from}>${m.to}`) || to?.core === undefined) {
        out.push(`dropped ${formatMessage(m)}`);
        continue;
      }
      to.core.step(m);
    }
    this.queue = keep;
    return out;
  }

  /** Blocks both directions between the two groups. */
  partition(a: readonly NodeId[], b: readonly NodeId[]): void {
    for (const x of a) for (const y of b) {
      this.blocked.add(`${x}>${y}`);
      this.blocked.add(`${y}>${x}`);
    }
  }

  /** Removes every partition. */
  heal(): void {
    this.blocked.clear();
  }

  /** Processes and delivers until nothing moves (only among `ids`). */
  stabilize(ids: readonly NodeId[]): string[] {
    const out: string[] = [];
    const among = new Set(ids);
    for (let round = 0; round < 1000; round++) {
      const before = out.length;
      for (const id of ids) out.push(...this.process(this.node(id)));
      const queued = this.queue.length;
      out.push(...this.deliver((m) => among.has(m.from) && among.has(m.to)));
      if (out.length === before && this.queue.length === queued) return out;
    }
    throw new Error("stabilize did not settle");
  }
}
