/**
 * One simulated run from a seed: draw the parameters, run the chaos phase with every
 * invariant checked after every tick, then the liveness phase (heal everything;
 * require a leader and a newly acknowledged append within a bound, and every running
 * member caught up), then the end-of-run checks.
 */
import { seededRandom } from "../random.js";
import type { TestFaults } from "../state.js";
import { mixSeed, SimCluster } from "./cluster.js";
import type { SimFaults, SimParams } from "./params.js";
import { describeParams, drawParams } from "./params.js";
import { Trace } from "./trace.js";
import { SimViolation } from "./violation.js";
import { SimClient } from "./workload.js";

/** How to run one seed. */
export interface RunOptions {
  readonly seed: number;
  readonly faults?: TestFaults & SimFaults;
  readonly trace?: boolean;
  /** Check every message against durable state at send time (default on). */
  readonly sendCheck?: boolean;
}

/** What a run found. */
export interface RunResult {
  readonly seed: number;
  readonly params: SimParams;
  readonly violation: SimViolation | undefined;
  /** Ticks the liveness phase needed to get an append acknowledged. */
  readonly livenessTicks: number;
  readonly ticks: number;
  readonly committed: number;
  readonly acked: number;
  readonly trace: readonly string[];
}

/** Liveness bound, in election timeouts. */
const livenessElections = 40;

/** The parameters a seed draws (the same ones `runSeed` uses). */
export function paramsForSeed(seed: number): SimParams {
  return drawParams(seededRandom(mixSeed(seed, 0)));
}

/** Runs one seed to completion or to the first violation. */
export function runSeed(opts: RunOptions): RunResult {
  const random = seededRandom(mixSeed(opts.seed, 0));
  const params = drawParams(random);
  const trace = new Trace(opts.trace === true);
  trace.add(0, () => `seed=${opts.seed} ${describeParams(params)}`);
  const cluster = new SimCluster(opts.seed, params, random, opts.faults ?? {}, trace);
  cluster.sendCheck = opts.sendCheck ?? true;
  let violation: SimViolation | undefined;
  let livenessTicks = -1;
  try {
    while (cluster.now < params.chaosTicks) cluster.step();
    livenessTicks = liveness(cluster);
    cluster.checker.checkAcked(allAcked(cluster.clients));
  } catch (e) {
    // A thrown core invariant (or any other error) is a failure of the seed too.
    violation = e instanceof SimViolation ? e : new SimViolation("unexpected error", e instanceof Error ? (e.stack ?? e.message) : String(e));
  }
  return {
    seed: opts.seed,
    params,
    violation,
    livenessTicks,
    ticks: cluster.now,
    committed: cluster.checker.committed.length,
    acked: allAcked(cluster.clients).size,
    trace: trace.lines(),
  };
}

function allAcked(clients: readonly SimClient[]): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const c of clients) for (const [id, s] of c.acked) out.set(id, s);
  return out;
}

function liveness(cluster: SimCluster): number {
  cluster.heal();
  const start = cluster.now;
  const bound = livenessElections * cluster.params.electionTicks;
  const probe = new SimClient("live", seededRandom(mixSeed(cluster.seed, 9)), () => cluster.servingIds(), cluster.params.electionTicks);
  cluster.clients.push(probe);
  probe.begin(cluster.now);
  while (probe.busy()) {
    if (cluster.now - start > bound) {
      throw new SimViolation("liveness", `no acknowledged append within ${bound} ticks after healing (leader: ${cluster.leader()?.id ?? "none"})`);
    }
    cluster.step();
  }
  const took = cluster.now - start;
  const target = BigInt(cluster.checker.committed.length);
  while (!caughtUp(cluster, target)) {
    if (cluster.now - start > 2 * bound) throw new SimViolation("liveness", `members not caught up to ${target} within ${2 * bound} ticks`);
    cluster.step();
  }
  return took;
}

function caughtUp(cluster: SimCluster, target: bigint): boolean {
  const core = cluster.leader()?.core;
  if (core === undefined) return false;
  const st = core.status();
  const members = new Set([...st.voters, ...st.learners]);
  return cluster.nodes.every((n) => !members.has(n.id) || n.appliedIndex >= target);
}
