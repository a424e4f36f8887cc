/**
 * Operations every case may use: cluster faults through the adapter and the proxies,
 * leader discovery, and control flow (`repeat`, `waitUntil`). Side-specific
 * operations live in server-ops and client-ops.
 */
import { ok, type CaseContext, type OpHandler, type OpTable } from "../runner/case-context.js";
import type { Outcome } from "../case-format/case-types.js";
import { match } from "../case-format/match.js";
import { pollIntervalMs, pollUntil } from "../cluster/poll-until.js";
import { resolveNode, resolveNodes } from "./node-selector.js";

const num = (v: unknown, fallback: number): number => (typeof v === "number" ? v : fallback);


const waitLeader: OpHandler = async (a, ctx) => {
  const cluster = ctx.cluster();
  const excluding = a.excluding === undefined ? undefined : await resolveNode(ctx, a.excluding);
  const l = await cluster.leader(num(a.timeoutMs, 20_000), excluding);
  return ok({ node: l.node, term: l.term.toString(), url: cluster.url(l.node) });
};

const fault = (name: string, act: (ctx: CaseContext, id: string) => Promise<void>): OpHandler => async (a, ctx) => {
  const ids = await resolveNodes(ctx, a.node ?? a.nodes);
  for (const id of ids) await act(ctx, id);
  ctx.log(`${name} ${ids.join(", ")}`);
  return ok({ nodes: ids });
};

const partition: OpHandler = async (a, ctx) => {
  const groups: string[][] = [];
  for (const g of a.groups as unknown[]) groups.push(await resolveNodes(ctx, g));
  const listed = new Set(groups.flat());
  const rest = ctx.cluster().ids.filter((id) => !listed.has(id));
  if (rest.length > 0) groups.push(rest); // unlisted nodes form the last group
  ctx.cluster().network.partition(groups);
  return ok({ groups });
};

const repeat: OpHandler = async (a, ctx) => {
  const times = num(a.times, 1);
  for (let i = 0; i < times; i++) {
    if (typeof a.as === "string") ctx.bindings.set(a.as, i);
    await ctx.runSteps(a.steps as unknown[], `repeat#${i}`);
  }
  return ok({ times });
};

/** Runs one nested step until its outcome matches `until` (polling), or fails after `timeoutMs`. */
const waitUntil: OpHandler = async (a, ctx) => {
  const step = a.step as { op: string; [k: string]: unknown };
  const timeoutMs = num(a.timeoutMs, 20_000);
  const binding = "__waitUntil"; // one binding, overwritten by every poll
  let last: Outcome | undefined;
  let attempts = 0;
  const reached = await pollUntil(async () => {
    attempts++;
    await ctx.runSteps([{ ...step, save: binding, expect: { $exists: true } }], `waitUntil#${attempts}`);
    last = ctx.bindings.lookup(binding) as Outcome;
    return match(last, ctx.bindings.resolve(a.until)).length === 0;
  }, { timeoutMs, intervalMs: num(a.intervalMs, pollIntervalMs), signal: ctx.signal });
  if (reached) return ok({ attempts, outcome: last });
  return { error: { message: `not reached within ${timeoutMs} ms after ${attempts} polls`, last } };
};

/** The operations of every side. */
export const coreOps: OpTable = {
  waitLeader,
  kill: fault("killed", (ctx, id) => ctx.cluster().kill(id)),
  restart: fault("restarted", (ctx, id) => ctx.cluster().restart(id)),
  pause: fault("paused", (ctx, id) => ctx.cluster().pause(id)),
  resume: fault("resumed", (ctx, id) => ctx.cluster().resume(id)),
  isolate: fault("isolated", async (ctx, id) => ctx.cluster().network.isolate(id)),
  partition,
  heal: async (_a, ctx) => {
    ctx.cluster().network.heal();
    return ok({});
  },
  cutLink: async (a, ctx) => {
    const from = await resolveNode(ctx, a.from);
    const to = await resolveNode(ctx, a.to);
    ctx.cluster().network.cutLink(from, to);
    return ok({ from, to });
  },
  repeat,
  waitUntil,
};
