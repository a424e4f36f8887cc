/**
 * `listen`, `awaitListen` and `stopListen`: Listen streams recorded in the
 * background by name (`as`), waited on by condition, and checked for continuity.
 * Every recorder stops when its case ends; checkHistory checks every recorder's
 * messages against the final committed log.
 */
import { HubService } from "@synod/proto/hub";
import type { Outcome } from "../case-format/case-types.js";
import { uint64Arg } from "../case-format/uint64-arg.js";
import type { CaseContext, OpHandler } from "../runner/case-context.js";
import { callChoiceOf } from "./call-choice.js";
import { ListenRecorder } from "./listen-recorder.js";
import { nodeClient } from "./node-clients.js";
import { resolveTarget } from "./node-target.js";
import { plainJson } from "./plain-json.js";

/** How long `awaitListen` waits when the step gives no `timeoutMs`. */
export const awaitListenTimeoutMsDefault = 20_000;

const stateKey = "server:listeners";

/** Every recorder of the case, by name. */
export function listenersOf(ctx: CaseContext): Map<string, ListenRecorder> {
  let m = ctx.state.get(stateKey) as Map<string, ListenRecorder> | undefined;
  if (!m) {
    m = new Map();
    ctx.state.set(stateKey, m);
  }
  return m;
}

function recorder(ctx: CaseContext, as: unknown): ListenRecorder {
  const r = typeof as === "string" ? listenersOf(ctx).get(as) : undefined;
  if (!r) throw new Error(`no listener named ${JSON.stringify(as)} (started: ${[...listenersOf(ctx).keys()].join(", ") || "none"})`);
  return r;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/**
 * `listen {node, as, afterSeq? | resumeFrom?, heartbeatMs?, types?, origins?, protocol?, http?, json?, token?}`:
 * opens a Listen stream recorded as `as`. `resumeFrom: <name>` starts after the
 * last `through_seq` that listener received, as a client resuming elsewhere does,
 * and makes the two one chain for continuity checks. Outcome `{as, node, afterSeq}`.
 */
const listen: OpHandler = async (args, ctx) => {
  if (typeof args.as !== "string" || args.as === "") throw new Error("listen needs `as: <name>`");
  const listeners = listenersOf(ctx);
  if (listeners.has(args.as)) throw new Error(`a listener named ${args.as} already exists`);
  if (args.resumeFrom !== undefined && args.afterSeq !== undefined) throw new Error("give afterSeq or resumeFrom, not both");
  const resumes = args.resumeFrom === undefined ? undefined : recorder(ctx, args.resumeFrom);
  const node = await resolveTarget(ctx, args.node);
  const afterSeq = resumes ? resumes.throughSeq : (uint64Arg(args.afterSeq, "afterSeq") ?? 0n);
  const types = strings(args.types);
  const origins = strings(args.origins);
  const rec = new ListenRecorder(args.as, node, afterSeq, types.length === 0 && origins.length === 0, resumes);
  listeners.set(args.as, rec);
  const heartbeatMs = typeof args.heartbeatMs === "number" ? args.heartbeatMs : 0;
  rec.start(nodeClient(ctx, HubService, node, callChoiceOf(args)), { afterSeq, heartbeatMs, types, origins }, ctx.signal);
  ctx.defer(() => rec.stop());
  return { ok: plainJson({ as: args.as, node, afterSeq }) };
};

const thresholds = ["throughSeq", "entries", "heartbeats", "messages"] as const;

/**
 * `awaitListen {as, throughSeq?, entries?, heartbeats?, messages?, ended?, timeoutMs?}`:
 * waits until the listener has covered `throughSeq`, received at least `entries`
 * entries / `heartbeats` heartbeats / `messages` messages, and (with `ended: true`)
 * its stream is over. Outcome: the listener's summary (`{messages, heartbeats,
 * entries: [{seq, id}], ids, seqs, ranges, throughSeq, last, ended, endError?,
 * violations, gapFree, …}`) as `ok`, or as `error` (with `message`) when the
 * condition was not reached in time or the stream ended first.
 */
const awaitListen: OpHandler = async (args, ctx) => {
  const rec = recorder(ctx, args.as);
  const given = thresholds.filter((t) => args[t] !== undefined);
  if (given.length === 0 && args.ended !== true) throw new Error(`awaitListen needs at least one of ${thresholds.join(", ")}, ended: true`);
  const through = uint64Arg(args.throughSeq, "throughSeq");
  const count = (name: string): number | undefined => (typeof args[name] === "number" ? (args[name] as number) : undefined);
  const reached = (): boolean => {
    const s = { entries: rec.messages.reduce((n, m) => n + m.entries.length, 0), heartbeats: rec.messages.filter((m) => m.afterSeq === m.throughSeq && m.entries.length === 0).length, messages: rec.messages.length };
    return (through === undefined || rec.throughSeq >= through)
      && (count("entries") === undefined || s.entries >= (count("entries") ?? 0))
      && (count("heartbeats") === undefined || s.heartbeats >= (count("heartbeats") ?? 0))
      && (count("messages") === undefined || s.messages >= (count("messages") ?? 0))
      && (args.ended !== true || rec.ended);
  };
  const timeoutMs = typeof args.timeoutMs === "number" ? args.timeoutMs : awaitListenTimeoutMsDefault;
  await rec.waitFor(() => reached() || rec.ended, timeoutMs, ctx.signal);
  const summary = plainJson(rec.summary());
  if (reached()) return { ok: summary };
  const why = rec.ended ? "the stream ended first" : `not reached within ${timeoutMs} ms`;
  return { error: { message: `listener ${rec.name}: ${why}`, ...(summary as object) } } satisfies Outcome;
};

/** `stopListen {as}`: ends the stream (if it still runs); outcome: its summary. */
const stopListen: OpHandler = async (args, ctx) => {
  const rec = recorder(ctx, args.as);
  await rec.stop();
  return { ok: plainJson(rec.summary()) };
};

/** The Listen operations. */
export const listenOps = { listen, awaitListen, stopListen };
