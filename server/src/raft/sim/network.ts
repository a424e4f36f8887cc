/**
 * A simulated network: per-message delay (hence reordering), loss and duplication,
 * and partitions as a set of blocked directed links, so symmetric, asymmetric and
 * one-way partitions are all the same mechanism.
 */
import type { Message } from "../messages.js";
import type { Random } from "../random.js";
import type { NodeId } from "../types.js";
import { check } from "./violation.js";

/**
 * Most messages in flight at once. A correct cluster stays far below it; a livelock
 * (two nodes answering each other forever, multiplied by duplication) hits it.
 */
export const maxInFlightMessages = 20_000;

/** Per-message fault settings. */
export interface NetworkFaults {
  dropRate: number;
  dupRate: number;
  maxDelayTicks: number;
}

/** Messages in flight, keyed by the tick they arrive. */
export class Network {
  private readonly inFlight = new Map<number, Message[]>();
  private readonly blocked = new Set<string>();
  private readonly isolated = new Map<NodeId, number>();
  /** Messages sent, dropped, duplicated; for reports. */
  readonly stats = { sent: 0, dropped: 0, duplicated: 0, blockedDrops: 0 };

  constructor(
    private readonly random: Random,
    readonly faults: NetworkFaults,
  ) {}

  private static link(from: NodeId, to: NodeId): string {
    return `${from}>${to}`;
  }

  private inFlightCount = 0;

  /** Queues a message; it may be lost, duplicated or delayed. */
  send(now: number, m: Message): void {
    this.stats.sent++;
    check(this.inFlightCount < maxInFlightMessages, "liveness: no message storm", () => `more than ${maxInFlightMessages} messages in flight`);
    if (this.random.nextInt(1_000_000) < this.faults.dropRate * 1_000_000) {
      this.stats.dropped++;
      return;
    }
    const copies = this.random.nextInt(1_000_000) < this.faults.dupRate * 1_000_000 ? 2 : 1;
    if (copies === 2) this.stats.duplicated++;
    for (let i = 0; i < copies; i++) {
      const at = now + 1 + this.random.nextInt(this.faults.maxDelayTicks + 1);
      const bucket = this.inFlight.get(at);
      if (bucket === undefined) this.inFlight.set(at, [m]);
      else bucket.push(m);
      this.inFlightCount++;
    }
  }

  /** Cuts `node` off from everyone until tick `until` (heals on its own). */
  isolate(node: NodeId, until: number): void {
    this.isolated.set(node, until);
  }

  private cut(m: Message, now: number): boolean {
    if (this.blocked.has(Network.link(m.from, m.to))) return true;
    if (this.isolated.size === 0) return false;
    return (this.isolated.get(m.from) ?? 0) > now || (this.isolated.get(m.to) ?? 0) > now;
  }

  /** Messages arriving at `now` over links that are not blocked. */
  deliver(now: number): Message[] {
    const bucket = this.inFlight.get(now);
    if (bucket === undefined) return [];
    this.inFlight.delete(now);
    this.inFlightCount -= bucket.length;
    const out: Message[] = [];
    for (const m of bucket) {
      if (this.cut(m, now)) this.stats.blockedDrops++;
      else out.push(m);
    }
    return out;
  }

  /** Blocks messages from `from` to `to` (one direction). */
  block(from: NodeId, to: NodeId): void {
    this.blocked.add(Network.link(from, to));
  }

  /** Splits the nodes into two groups that cannot talk either way. */
  split(groupA: readonly NodeId[], groupB: readonly NodeId[]): void {
    for (const a of groupA) {
      for (const b of groupB) {
        this.block(a, b);
        this.block(b, a);
      }
    }
  }

  /** Removes every partition. */
  heal(): void {
    this.blocked.clear();
    this.isolated.clear();
  }

  /** Whether any link is blocked. */
  partitioned(): boolean {
    return this.blocked.size > 0;
  }

  /** The blocked links, for traces. */
  describe(): string {
    return [...this.blocked].sort().join(",");
  }
}
