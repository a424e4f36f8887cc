/**
 * Fault injection for the chaos phase: partitions of every shape, crashes (biased
 * towards nodes with unsynced writes), restarts, leadership transfers and
 * membership changes. Every choice comes from the run's seeded random.
 */
import type { Random } from "../random.js";
import type { NodeId } from "../types.js";
import type { Network } from "./network.js";
import type { SimParams } from "./params.js";
import type { SimNode } from "./sim-node.js";

const roll = (r: Random, p: number): boolean => r.nextInt(1_000_000) < p * 1_000_000;

function shuffled<T>(r: Random, xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.nextInt(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Picks one element (the list must not be empty). */
export function pickOne<T>(r: Random, xs: readonly T[]): T {
  return xs[r.nextInt(xs.length)] as T;
}

/** Creates or heals partitions. Returns a description when something changed. */
export function stepPartitions(r: Random, p: SimParams, net: Network, ids: readonly NodeId[]): string | undefined {
  if (net.partitioned()) {
    if (!roll(r, p.healRate)) return undefined;
    net.heal();
    return "heal";
  }
  if (!roll(r, p.partitionRate)) return undefined;
  const order = shuffled(r, ids);
  const x = order[0] as NodeId;
  switch (r.nextInt(4)) {
    case 0: {
      const cut = 1 + r.nextInt(Math.floor(ids.length / 2));
      net.split(order.slice(0, cut), order.slice(cut));
      break;
    }
    case 1:
      for (let i = 0; i + 1 < order.length; i += 2) net.block(order[i] as NodeId, order[i + 1] as NodeId);
      break;
    case 2:
      for (const y of ids) if (y !== x) net.block(y, x);
      break;
    default:
      for (const y of ids) if (y !== x) net.block(x, y);
  }
  return `partition ${net.describe()}`;
}

/** Crashes running nodes at random, more often while their fsync is in flight. */
export function stepCrashes(r: Random, p: SimParams, nodes: readonly SimNode[], now: number): string[] {
  const events: string[] = [];
  for (const n of nodes) {
    if (!n.up()) continue;
    const rate = p.crashRate + (n.syncing() ? p.crashWhileSyncingRate : 0);
    if (!roll(r, rate)) continue;
    n.crash(now + 1 + r.nextInt(p.maxDownTicks));
    events.push(`crash ${n.id}${n.syncing() ? " (syncing)" : ""}`);
  }
  return events;
}

/** Whether to ask the leader for a transfer now. */
export function wantTransfer(r: Random, p: SimParams): boolean {
  return roll(r, p.transferRate);
}

/** Whether to try a membership change now. */
export function wantMembershipChange(r: Random, p: SimParams): boolean {
  return p.membershipChanges && roll(r, 0.02);
}

/**
 * Crashes or isolates the current leader (the nemesis most likely to expose commit
 * bugs). An isolation heals on its own after one to three election timeouts.
 */
export function stepLeaderFault(r: Random, p: SimParams, net: Network, leader: SimNode, now: number): string | undefined {
  if (!roll(r, p.leaderFaultRate)) return undefined;
  if (r.nextInt(100) >= p.isolatePercent) {
    leader.crash(now + 1 + r.nextInt(p.maxDownTicks));
    return `crash leader ${leader.id}`;
  }
  const until = now + p.electionTicks * (1 + r.nextInt(3));
  net.isolate(leader.id, until);
  return `isolate leader ${leader.id} until ${until}`;
}
