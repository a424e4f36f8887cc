/**
 * Seeded fault schedules for cluster tests (DESIGN §8). A schedule is a list of steps
 * generated from one {@link Random}, so a failing run replays from its seed. Targets
 * are abstract ("the leader", "the k-th healthy follower"): which node that is gets
 * decided when the step runs (see nemesis-runner.ts).
 *
 * Guarantees of every generated schedule (checked by {@link checkSchedule}):
 * - at most a minority, `floor((size - 1) / 2)` nodes, is faulty at any time, counting
 *   killed, paused, partitioned-away and one-way-cut nodes, so a majority can always
 *   make progress;
 * - at most one network fault at a time (a partition replaces the whole network);
 * - every fault is undone exactly once by its matching step, and nothing is left
 *   faulty at the end.
 */
import type { Random } from "./seeded-random.js";

/** A node chosen when the step runs: the leader, or a follower (`pick` modulo the healthy ones). */
export interface NodeTarget {
  readonly role: "leader" | "follower";
  /** Which candidate to take, modulo the number of candidates at run time. */
  readonly pick: number;
}

/** One step of a schedule. `fault` ties a fault to the step that undoes it. */
export type NemesisStep =
  | { readonly op: "kill"; readonly fault: number; readonly target: NodeTarget }
  | { readonly op: "restart"; readonly fault: number }
  | { readonly op: "pause"; readonly fault: number; readonly target: NodeTarget }
  | { readonly op: "resume"; readonly fault: number }
  /** Cuts `size` healthy nodes (chosen by `pick`, the leader allowed) away from the rest. */
  | { readonly op: "partition-minority"; readonly fault: number; readonly size: number; readonly pick: number }
  /** Cuts the leader plus `size - 1` healthy followers away from the rest. */
  | { readonly op: "partition-leader"; readonly fault: number; readonly size: number; readonly pick: number }
  /** Cuts only the directed link `from` → `to`. */
  | { readonly op: "cut-one-way"; readonly fault: number; readonly from: NodeTarget; readonly to: NodeTarget }
  /** Undoes the network fault `fault`: heals every link. */
  | { readonly op: "heal"; readonly fault: number }
  | { readonly op: "wait"; readonly ms: number };

/** The kinds of fault a schedule may inject. */
export type FaultKind = "kill-leader" | "kill-follower" | "pause-leader" | "pause-follower" | "partition-minority" | "partition-leader" | "cut-one-way";

/** Every {@link FaultKind}. */
export const allFaultKinds: readonly FaultKind[] = ["kill-leader", "kill-follower", "pause-leader", "pause-follower", "partition-minority", "partition-leader", "cut-one-way"];

/** Options of {@link nemesisSchedule}. */
export interface ScheduleOptions {
  /** Cluster size (3 or 5 in practice); a cluster of 1 or 2 tolerates no fault. */
  readonly size: number;
  /** Fault and recovery steps before the final recovery (waits not counted). */
  readonly steps: number;
  readonly random: Random;
  /** Faults to draw from; default {@link allFaultKinds}. */
  readonly kinds?: readonly FaultKind[];
  /** Wait after every step, uniformly in `[min, max]` ms; default 500..2000. */
  readonly waitMs?: { readonly min: number; readonly max: number };
  /** Chance in percent to undo a fault rather than inject one when both are possible; default 40. */
  readonly recoverPercent?: number;
}

/** The most nodes that may be faulty at once in a cluster of `size`: a minority. */
export function faultBudget(size: number): number {
  return Math.floor((size - 1) / 2);
}

interface Active {
  readonly fault: number;
  readonly undo: "restart" | "resume" | "heal";
  readonly cost: number;
}

/** Generates a schedule; see the module comment for what it guarantees. */
export function nemesisSchedule(opts: ScheduleOptions): NemesisStep[] {
  const { random } = opts;
  const kinds = opts.kinds ?? allFaultKinds;
  const wait = opts.waitMs ?? { min: 500, max: 2000 };
  const budget = faultBudget(opts.size);
  const out: NemesisStep[] = [];
  const active: Active[] = [];
  let nextFault = 1;
  const waitStep = (): NemesisStep => ({ op: "wait", ms: wait.min + random.nextInt(Math.max(1, wait.max - wait.min + 1)) });
  for (let i = 0; i < opts.steps; i++) {
    const left = budget - active.reduce((n, a) => n + a.cost, 0);
    const netBusy = active.some((a) => a.undo === "heal");
    const fits = kinds.filter((k) => left >= 1 && (!isNetwork(k) || !netBusy));
    const recover = active.length > 0 && (fits.length === 0 || random.nextInt(100) < (opts.recoverPercent ?? 40));
    if (recover) {
      const [a] = active.splice(random.nextInt(active.length), 1);
      if (a) out.push({ op: a.undo, fault: a.fault });
    } else if (fits.length > 0) {
      const kind = fits[random.nextInt(fits.length)] as FaultKind;
      const step = injectStep(kind, nextFault++, left, random);
      active.push({ fault: step.fault, undo: undoOf(step.op), cost: costOf(step) });
      out.push(step);
    }
    out.push(waitStep());
  }
  // Undo the network first so restarted nodes rejoin a whole network.
  active.sort((a, b) => Number(b.undo === "heal") - Number(a.undo === "heal"));
  for (const a of active) out.push({ op: a.undo, fault: a.fault });
  if (active.length > 0) out.push(waitStep());
  return out;
}

type FaultStep = Extract<NemesisStep, { readonly target: NodeTarget } | { readonly size: number } | { readonly from: NodeTarget }>;

function injectStep(kind: FaultKind, fault: number, left: number, random: Random): FaultStep {
  const target = (role: NodeTarget["role"]): NodeTarget => ({ role, pick: random.nextInt(1 << 16) });
  switch (kind) {
    case "kill-leader":
      return { op: "kill", fault, target: target("leader") };
    case "kill-follower":
      return { op: "kill", fault, target: target("follower") };
    case "pause-leader":
      return { op: "pause", fault, target: target("leader") };
    case "pause-follower":
      return { op: "pause", fault, target: target("follower") };
    case "partition-minority":
      return { op: "partition-minority", fault, size: 1 + random.nextInt(left), pick: random.nextInt(1 << 16) };
    case "partition-leader":
      return { op: "partition-leader", fault, size: 1 + random.nextInt(left), pick: random.nextInt(1 << 16) };
    case "cut-one-way": {
      const leaderFirst = random.nextInt(2) === 0;
      return { op: "cut-one-way", fault, from: target(leaderFirst ? "leader" : "follower"), to: target(leaderFirst ? "follower" : "leader") };
    }
  }
}

function isNetwork(kind: FaultKind): boolean {
  return kind === "partition-minority" || kind === "partition-leader" || kind === "cut-one-way";
}

function undoOf(op: FaultStep["op"]): Active["undo"] {
  return op === "kill" ? "restart" : op === "pause" ? "resume" : "heal";
}

function costOf(step: NemesisStep): number {
  return "size" in step ? step.size : 1;
}

/**
 * Checks a schedule against the guarantees in the module comment.
 * @returns readable violations; empty when the schedule is safe for a cluster of `size`
 */
export function checkSchedule(steps: readonly NemesisStep[], size: number): string[] {
  const budget = faultBudget(size);
  const active = new Map<number, Active>();
  const done = new Set<number>();
  const out: string[] = [];
  steps.forEach((s, i) => {
    if (s.op === "wait") return;
    if (s.op === "restart" || s.op === "resume" || s.op === "heal") {
      const a = active.get(s.fault);
      if (!a || a.undo !== s.op) out.push(`step ${i + 1}: ${s.op} of fault ${s.fault}, which is not an active fault undone by ${s.op}`);
      active.delete(s.fault);
      done.add(s.fault);
      return;
    }
    if (active.has(s.fault) || done.has(s.fault)) out.push(`step ${i + 1}: fault ${s.fault} injected twice`);
    if (s.op !== "kill" && s.op !== "pause" && [...active.values()].some((a) => a.undo === "heal")) out.push(`step ${i + 1}: a second network fault while one is active`);
    active.set(s.fault, { fault: s.fault, undo: undoOf(s.op), cost: costOf(s) });
    const faulty = [...active.values()].reduce((n, a) => n + a.cost, 0);
    if (faulty > budget) out.push(`step ${i + 1}: ${faulty} faulty nodes, more than the ${budget} a cluster of ${size} tolerates`);
  });
  for (const f of active.keys()) out.push(`fault ${f} is never undone`);
  return out;
}

/** A one-line description of a step, for test logs. */
export function describeStep(s: NemesisStep): string {
  const t = (x: NodeTarget): string => (x.role === "leader" ? "leader" : `follower#${x.pick}`);
  switch (s.op) {
    case "kill":
    case "pause":
      return `${s.op} ${t(s.target)} (fault ${s.fault})`;
    case "partition-minority":
    case "partition-leader":
      return `${s.op} size ${s.size} (fault ${s.fault})`;
    case "cut-one-way":
      return `cut ${t(s.from)} -> ${t(s.to)} (fault ${s.fault})`;
    case "wait":
      return `wait ${s.ms} ms`;
    default:
      return `${s.op} fault ${s.fault}`;
  }
}
