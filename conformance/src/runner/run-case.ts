/**
 * Runs one case: starts its cluster (if any) through the adapter, runs its steps in
 * order, matches each outcome against the step's expectation, and always cleans up.
 */
import { Bindings } from "../case-format/bindings.js";
import type { ConformanceCase, Outcome, Step } from "../case-format/case-types.js";
import { match } from "../case-format/match.js";
import { ClusterUnderTest } from "../cluster/cluster-under-test.js";
import { lazyArgs, type CaseContext, type OpTable, type RunEnvironment, type SideModule } from "./case-context.js";

/** The result of one case. */
export interface CaseResult {
  readonly id: string;
  readonly side: ConformanceCase["side"];
  readonly tier: ConformanceCase["tier"];
  readonly title: string;
  readonly passed: boolean;
  readonly durationMs: number;
  /** Why it failed: the step (`steps[3] append`) and the mismatches or error. */
  readonly failure?: string;
  /** The case's log lines (operations, faults, timings). */
  readonly log: readonly string[];
}

/** Thrown by a step whose outcome does not match; carries the readable reason. */
class StepFailed extends Error {}

/** How long a case body may take to stop after its abort before cleanup runs anyway, ms. */
const settleGraceMs = 60_000;

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/** Lines a case's log keeps (a long `waitUntil` logs every poll). */
const logLinesMax = 2_000;

/** The default whole-case deadline, ms. */
export const defaultCaseTimeoutMs = 60_000;

/** Runs `c` with its side's operations. Never throws: failures are in the result. */
export async function runCase(c: ConformanceCase, side: SideModule, env: RunEnvironment): Promise<CaseResult> {
  const ops = side.ops;
  const started = performance.now();
  const log: string[] = [];
  let droppedLines = 0;
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const abort = new AbortController();
  const timeoutMs = c.timeoutMs ?? defaultCaseTimeoutMs;
  let cluster: ClusterUnderTest | undefined;
  const stamp = (): string => `${((performance.now() - started) / 1000).toFixed(2)}s`;
  const ctx: CaseContext = {
    case: c,
    env,
    bindings: new Bindings(),
    signal: abort.signal,
    state: new Map(),
    log: (line) => {
      if (log.length >= logLinesMax) {
        log.splice(1, 1); // keep the first line (how the case started) and the most recent ones
        droppedLines++;
      }
      log.push(`${stamp()} ${line}`);
    },
    defer: (fn) => cleanups.push(fn),
    cluster: () => {
      if (!cluster) throw new Error(`case ${c.id} has no cluster: add a \`cluster:\` block`);
      return cluster;
    },
    runSteps: (steps, path) => runSteps(steps as Step[], path, ops, ctx),
  };
  let failure: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`case did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  const body = async (): Promise<void> => {
    if (c.cluster) {
      if (!env.adapter) throw new Error("this case needs a cluster but the run has no server adapter");
      ctx.log(`starting a ${c.cluster.nodes}-node cluster`);
      cluster = await ClusterUnderTest.start(env.adapter, c.cluster);
      const started = cluster;
      cleanups.push(() => started.stop());
    }
    if (ctx.signal.aborted) return;
    await side.setUp?.(ctx);
    await runSteps(c.steps, "steps", ops, ctx);
  };
  const running = body();
  try {
    await Promise.race([running, deadline]);
  } catch (err) {
    failure = err instanceof StepFailed ? err.message : `${err instanceof Error ? err.message : String(err)}`;
  } finally {
    clearTimeout(timer);
    abort.abort();
    // A timed-out body may still be starting a cluster or a driver: let it notice the
    // abort and register its cleanup before cleaning up, so nothing is left behind.
    const settled = await Promise.race([running.then(() => true, () => true), delay(settleGraceMs).then(() => false)]);
    if (!settled) log.push(`the case body did not stop within ${settleGraceMs} ms of the abort; the run's end cleans up what it started`);
    while (cleanups.length > 0) {
      const fn = cleanups.pop() as () => unknown;
      try {
        await fn();
      } catch (err) {
        log.push(`cleanup failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  if (droppedLines > 0) log.splice(1, 0, `(${droppedLines} earlier lines dropped: a case keeps at most ${logLinesMax})`);
  if (failure !== undefined && env.adapter && c.cluster) log.push(`server adapter stderr (last lines):\n${env.adapter.stderrTail(30)}`);
  return {
    id: c.id, side: c.side, tier: c.tier, title: c.title, passed: failure === undefined,
    durationMs: Math.round(performance.now() - started), ...(failure !== undefined ? { failure } : {}), log,
  };
}

async function runSteps(steps: readonly Step[], path: string, ops: OpTable, ctx: CaseContext): Promise<void> {
  for (const [i, step] of steps.entries()) {
    if (ctx.signal.aborted) throw new Error("case aborted");
    await runStep(step, `${path}[${i}] ${step.op}`, ops, ctx);
  }
}

async function runStep(step: Step, where: string, ops: OpTable, ctx: CaseContext): Promise<void> {
  const handler = ops[step.op];
  if (!handler) throw new StepFailed(`${where}: unknown operation "${step.op}" for a ${ctx.case.side} case`);
  const { op: _op, save, expect, ...raw } = step;
  let args: Record<string, unknown>;
  try {
    args = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, lazyArgs.has(k) ? v : ctx.bindings.resolve(v)]));
  } catch (err) {
    throw new StepFailed(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const t0 = performance.now();
  let outcome: Outcome;
  try {
    outcome = await handler(args, ctx);
  } catch (err) {
    if (err instanceof StepFailed) throw err;
    throw new StepFailed(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
  ctx.log(`${where} → ${summarize(outcome)} (${Math.round(performance.now() - t0)} ms)`);
  if (save !== undefined) ctx.bindings.set(save, outcome);
  const pattern = expect === undefined ? { ok: { $exists: true } } : ctx.bindings.resolve(expect);
  const mismatches = match(outcome, pattern);
  if (mismatches.length > 0) {
    const lines = mismatches.slice(0, 8).map((m) => `  ${m.path || "(outcome)"}: ${m.message}`);
    throw new StepFailed(`${where}: outcome does not match the expectation\n${lines.join("\n")}\n  outcome: ${summarize(outcome, 600)}`);
  }
}

function summarize(outcome: Outcome, max = 200): string {
  const s = JSON.stringify(outcome, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? "";
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
