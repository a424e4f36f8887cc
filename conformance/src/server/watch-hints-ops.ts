/** `watchHints` and `stopWatch`: leader hints probed in the background while faults happen. */
import { HubService } from "@synod/proto/hub";
import type { CaseContext, OpHandler } from "../runner/case-context.js";
import { analyzeHints } from "./hint-analysis.js";
import { HintWatcher } from "./hint-watcher.js";
import { nodeClient } from "./node-clients.js";
import { plainJson } from "./plain-json.js";

/** Default pause between probe rounds, ms. */
export const watchIntervalMsDefault = 100;
/** Deadline of one probe, ms (a paused or isolated node must not stall the rounds for long). */
const probeTimeoutMs = 2_000;

const key = (as: string): string => `server:watch:${as}`;

/**
 * `watchHints {as, intervalMs?}`: starts probing every running node for its leader
 * hint (see hint-watcher.ts for the probe). Outcome `{as}`.
 */
const watchHints: OpHandler = async (args, ctx) => {
  if (typeof args.as !== "string" || args.as === "") throw new Error("watchHints needs `as: <name>`");
  if (ctx.state.has(key(args.as))) throw new Error(`a watcher named ${args.as} already exists`);
  const cluster = ctx.cluster();
  const w = new HintWatcher({
    nodes: () => cluster.running(),
    client: (n) => nodeClient(ctx, HubService, n),
    intervalMs: typeof args.intervalMs === "number" ? args.intervalMs : watchIntervalMsDefault,
    probeTimeoutMs,
  });
  ctx.state.set(key(args.as), w);
  w.start(ctx.signal);
  ctx.defer(() => w.stop());
  return { ok: { as: args.as } };
};

function watcher(ctx: CaseContext, as: unknown): HintWatcher {
  const w = typeof as === "string" ? (ctx.state.get(key(as)) as HintWatcher | undefined) : undefined;
  if (!w) throw new Error(`no watcher named ${JSON.stringify(as)}`);
  return w;
}

/**
 * `stopWatch {as}`: stops the watcher. Outcome `{rounds, samples, hints, leaderReplies,
 * failures: {code: n}, unexpected, decreases: [{node, term, after, atMs}], conflicts:
 * [{term, leaders}], terms, perNode: {n1: {hints, firstTerm, lastTerm}}, overflowed}`;
 * `unexpected` counts the failed probes whose code is not one a stopped, paused,
 * killed or starting node explains (hint-analysis.ts, expectedProbeFailureCodes).
 */
const stopWatch: OpHandler = async (args, ctx) => {
  const w = watcher(ctx, args.as);
  await w.stop();
  const a = analyzeHints(w.samples);
  return {
    ok: plainJson({
      rounds: w.rounds,
      samples: w.samples.length,
      hints: w.samples.filter((s) => s.kind === "hint").length,
      leaderReplies: w.samples.filter((s) => s.kind === "leader").length,
      failures: w.failures,
      unexpected: w.unexpected,
      overflowed: w.overflowed,
      ...a,
    }),
  };
};

/**
 * `awaitHints {as, term, leaderId?, timeoutMs?}`: waits until the watcher has
 * recorded a hint with this term (and leader, when given) from any node, so a case
 * knows the prober saw a leadership before it moves on. Outcome `{samples, hints}`
 * as `ok`, or as `error` after `timeoutMs` (default 20000).
 */
const awaitHints: OpHandler = async (args, ctx) => {
  const w = watcher(ctx, args.as);
  const term = BigInt(String(args.term));
  const leaderId = typeof args.leaderId === "string" ? args.leaderId : undefined;
  const seen = (): boolean => w.samples.some((s) => s.kind === "hint" && s.term === term && (leaderId === undefined || s.leaderId === leaderId));
  const timeoutMs = typeof args.timeoutMs === "number" ? args.timeoutMs : 20_000;
  const reached = await w.waitFor(seen, timeoutMs, ctx.signal);
  const value = { samples: w.samples.length, hints: w.samples.filter((s) => s.kind === "hint").length };
  return reached ? { ok: value } : { error: { message: `no hint with term ${term}${leaderId ? ` naming ${leaderId}` : ""} within ${timeoutMs} ms`, ...value } };
};

/** The hint-watching operations. */
export const watchHintsOps = { watchHints, awaitHints, stopWatch };
