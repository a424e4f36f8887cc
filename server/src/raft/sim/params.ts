/**
 * The parameters of one simulated run, all drawn from the seed so that one number
 * reproduces a run exactly. Printed first in every report.
 */
import type { Random } from "../random.js";

/** Faults that break the runtime's side of the contract, for the teeth tests. */
export interface SimFaults {
  /** Send a Ready's messages before its fsync completes (breaks persist-before-send). */
  readonly sendBeforePersist?: boolean;
}

/** Everything drawn for one run. Probabilities are per tick unless noted. */
export interface SimParams {
  readonly nodes: number;
  /** Nodes that are voters at bootstrap; the rest are spares that may join. */
  readonly initialVoters: number;
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  readonly maxRecordsPerMsg: number;
  readonly maxInflightMsgs: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  /** Chaos phase length; the liveness phase follows. */
  readonly chaosTicks: number;
  /** Per message. */
  readonly dropRate: number;
  readonly dupRate: number;
  readonly maxDelayTicks: number;
  readonly maxFsyncTicks: number;
  readonly crashRate: number;
  /** Extra crash chance for a node whose fsync is in flight (unsynced data at risk). */
  readonly crashWhileSyncingRate: number;
  readonly maxDownTicks: number;
  readonly partitionRate: number;
  /** Chance per tick of crashing or isolating whichever node leads (a Jepsen-style nemesis). */
  readonly leaderFaultRate: number;
  /** Chance that a newly elected leader is crashed or isolated at once, before its no-op spreads. */
  readonly newLeaderFaultRate: number;
  /**
   * Chance that a leader is hit right after its commit index advances, before
   * followers learn the new commit index (targets commit-rule bugs).
   */
  readonly commitFaultRate: number;
  /** Of leader faults, the percentage that isolate rather than crash. */
  readonly isolatePercent: number;
  /** The leader-churn profile: most new leaders are hit and partitions heal fast. */
  readonly churn: boolean;
  readonly healRate: number;
  readonly clients: number;
  readonly proposeRate: number;
  readonly clientRetryTicks: number;
  readonly membershipChanges: boolean;
  readonly transferRate: number;
}

const pick = (r: Random, lo: number, hi: number): number => lo + r.nextInt(hi - lo + 1);
const chance = (r: Random, percent: number): boolean => r.nextInt(100) < percent;

/** Draws a run's parameters. */
export function drawParams(r: Random): SimParams {
  const nodes = chance(r, 50) ? 3 : 5;
  const membershipChanges = nodes === 5 && chance(r, 40);
  const churn = chance(r, 30);
  const maxDelayTicks = pick(r, 0, 3);
  const maxFsyncTicks = pick(r, 0, 2);
  // Raft needs the election timeout well above a round trip (thesis §3.4): a round
  // trip here is at most two hops of (1 + delay + fsync) ticks.
  const roundTripMax = 2 * (1 + maxDelayTicks + maxFsyncTicks);
  const electionTicks = Math.max(6, pick(r, 2 * roundTripMax, 3 * roundTripMax));
  return {
    nodes,
    initialVoters: membershipChanges ? 3 : nodes,
    electionTicks,
    heartbeatTicks: pick(r, 1, Math.max(1, Math.floor(electionTicks / 4))),
    maxRecordsPerMsg: chance(r, churn ? 60 : 30) ? 1 : pick(r, 2, 8),
    maxInflightMsgs: pick(r, 1, 6),
    preVote: chance(r, 85),
    checkQuorum: chance(r, 85),
    chaosTicks: electionTicks * pick(r, 15, 30),
    dropRate: pick(r, 0, 15) / 100,
    dupRate: pick(r, 0, 5) / 100,
    maxDelayTicks,
    maxFsyncTicks,
    crashRate: pick(r, 0, 60) / 10000,
    crashWhileSyncingRate: pick(r, 0, 50) / 1000,
    maxDownTicks: pick(r, 5, 100),
    partitionRate: pick(r, 0, 100) / 10000,
    healRate: churn ? pick(r, 300, 1000) / 10000 : pick(r, 50, 300) / 10000,
    leaderFaultRate: pick(r, 0, 100) / 10000,
    newLeaderFaultRate: churn ? pick(r, 60, 95) / 100 : pick(r, 0, 40) / 100,
    commitFaultRate: churn ? pick(r, 5, 30) / 100 : pick(r, 0, 5) / 100,
    isolatePercent: churn ? pick(r, 30, 70) : 50,
    churn,
    clients: pick(r, 1, 4),
    proposeRate: pick(r, 5, 40) / 100,
    clientRetryTicks: pick(r, 5, 20),
    membershipChanges,
    transferRate: pick(r, 0, 5) / 1000,
  };
}

/** One line for reports: `key=value ...`. */
export function describeParams(p: SimParams): string {
  return Object.entries(p)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(" ");
}
