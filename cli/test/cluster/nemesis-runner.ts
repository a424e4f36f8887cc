/**
 * Applies a nemesis schedule (nemesis.ts) to a running {@link Cluster}: resolves each
 * abstract target to a node at the moment the step runs, remembers which nodes each
 * fault took, and undoes every fault still active when it stops, whether the schedule
 * finished, was aborted or failed, so the cluster is whole again afterwards.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Cluster } from "./cluster-harness.js";
import { describeStep, type NemesisStep, type NodeTarget } from "./nemesis.js";

/** What one step did, for the test's log and for analysing a failure. */
export interface AppliedStep {
  readonly step: NemesisStep;
  /** The nodes the step acted on (empty for waits and heals). */
  readonly nodes: readonly string[];
  /** Milliseconds since the run started. */
  readonly atMs: number;
}

/** Options of {@link runNemesis}. */
export interface NemesisRunOptions {
  /** How long to wait for an agreed leader when a step targets it; default 5000 ms. */
  readonly leaderTimeoutMs?: number;
  /** Stops applying steps (the remaining faults are still undone). */
  readonly signal?: AbortSignal;
  /** Called with a line per applied step. */
  readonly log?: (line: string) => void;
}

/** The faults in force: which nodes each took. */
type ActiveFaults = Map<number, readonly string[]>;

/**
 * Runs `steps` against `cluster` and resolves with what was done. Rejects if a step
 * cannot be applied (for example a restart that fails), after undoing every fault.
 */
export async function runNemesis(cluster: Cluster, steps: readonly NemesisStep[], opts: NemesisRunOptions = {}): Promise<AppliedStep[]> {
  const t0 = performance.now();
  const active: ActiveFaults = new Map();
  const applied: AppliedStep[] = [];
  const record = (step: NemesisStep, nodes: readonly string[]): void => {
    const a = { step, nodes, atMs: Math.round(performance.now() - t0) };
    applied.push(a);
    opts.log?.(`nemesis +${a.atMs}ms ${describeStep(step)}${nodes.length ? ` -> ${nodes.join(",")}` : ""}`);
  };
  try {
    for (const step of steps) {
      if (opts.signal?.aborted) break;
      if (step.op === "wait") {
        if (step.ms > 0) await sleep(step.ms, undefined, { signal: opts.signal }).catch(() => undefined);
        continue;
      }
      record(step, await applyStep(cluster, step, active, opts.leaderTimeoutMs ?? 5000));
    }
  } finally {
    await undoAll(cluster, active, record);
  }
  return applied;
}

async function applyStep(cluster: Cluster, step: Exclude<NemesisStep, { op: "wait" }>, active: ActiveFaults, leaderTimeoutMs: number): Promise<readonly string[]> {
  const healthy = (): string[] => {
    const faulty = new Set([...active.values()].flat());
    return cluster.running().filter((id) => !faulty.has(id));
  };
  const resolve = async (t: NodeTarget, exclude: readonly string[] = []): Promise<string> => {
    const candidates = healthy().filter((id) => !exclude.includes(id));
    const leader = await currentLeader(cluster, leaderTimeoutMs);
    const pool = t.role === "leader" && leader && candidates.includes(leader) ? [leader] : candidates.filter((id) => id !== leader);
    const from = pool.length > 0 ? pool : candidates; // no leader or no follower left: any healthy node
    const id = from[t.pick % Math.max(1, from.length)];
    if (id === undefined) throw new Error(`nemesis: no healthy node for ${describeStep(step)}`);
    return id;
  };
  switch (step.op) {
    case "kill":
    case "pause": {
      const id = await resolve(step.target);
      if (step.op === "kill") await cluster.kill(id);
      else cluster.pause(id);
      active.set(step.fault, [id]);
      return [id];
    }
    case "partition-minority":
    case "partition-leader": {
      const pool = healthy();
      const leader = step.op === "partition-leader" ? await resolve({ role: "leader", pick: 0 }) : undefined;
      const rest = pool.filter((id) => id !== leader);
      const rotated = [...rest.slice(step.pick % Math.max(1, rest.length)), ...rest.slice(0, step.pick % Math.max(1, rest.length))];
      const minority = [...(leader ? [leader] : []), ...rotated].slice(0, step.size);
      cluster.partition([minority, cluster.ids.filter((id) => !minority.includes(id))]);
      active.set(step.fault, minority);
      return minority;
    }
    case "cut-one-way": {
      const from = await resolve(step.from);
      const to = await resolve(step.to, [from]);
      cluster.cutLink(from, to);
      active.set(step.fault, [from]);
      return [from, to];
    }
    case "restart":
    case "resume":
    case "heal":
      return undoFault(cluster, step.op, step.fault, active);
  }
}

async function undoFault(cluster: Cluster, op: "restart" | "resume" | "heal", fault: number, active: ActiveFaults): Promise<readonly string[]> {
  const nodes = active.get(fault) ?? [];
  active.delete(fault);
  if (op === "heal") cluster.heal();
  for (const id of nodes) {
    if (op === "restart") await cluster.restart(id);
    if (op === "resume") cluster.resume(id);
  }
  return op === "heal" ? [] : nodes;
}

/** Undoes every active fault: the network first, then paused and killed nodes. */
async function undoAll(cluster: Cluster, active: ActiveFaults, record: (s: NemesisStep, nodes: readonly string[]) => void): Promise<void> {
  cluster.heal();
  const errors: unknown[] = [];
  for (const [fault, nodes] of [...active]) {
    for (const id of nodes) {
      const state = cluster.nodes.get(id)?.state();
      try {
        if (state === "paused") cluster.resume(id);
        else if (state === "killed" || state === "exited") await cluster.restart(id);
      } catch (err) {
        errors.push(err);
      }
    }
    active.delete(fault);
    record({ op: "heal", fault }, nodes);
  }
  if (errors.length > 0) throw new AggregateError(errors, "nemesis: could not undo every fault");
}

/** The agreed leader, or undefined when none emerges in time (the step then picks any healthy node). */
async function currentLeader(cluster: Cluster, timeoutMs: number): Promise<string | undefined> {
  return cluster.leader(timeoutMs).catch(() => undefined);
}
