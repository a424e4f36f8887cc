/**
 * `append`: one Append call (or `concurrency` identical calls at once) to one node.
 * Every result a reply acknowledges goes into the case's {@link AppendHistory}.
 */
import { setMaxListeners } from "node:events";
import { create } from "@bufbuild/protobuf";
import { WriteConcern } from "@synod/proto/entry";
import { AppendRequestSchema, AppendResponseSchema, HubService, type AppendRequest } from "@synod/proto/hub";
import type { Outcome } from "../case-format/case-types.js";
import type { OpHandler } from "../runner/case-context.js";
import { appendHistoryOf } from "./append-history.js";
import { callChoiceOf } from "./call-choice.js";
import { errorOutcome } from "./error-outcome.js";
import { nodeClient } from "./node-clients.js";
import { resolveTarget } from "./node-target.js";
import { messageJson, plainJson } from "./plain-json.js";

/** The entry type used when a step gives none (one of the hub's default types). */
export const defaultEntryType = "decision";
/** Client deadline of an Append, ms: longer than the server's own 10 s commit wait. */
export const appendTimeoutMsDefault = 15_000;
/** Most identical calls one step may send at once. */
export const appendConcurrencyMax = 64;

/** An entry as a step writes it. */
interface StepEntry {
  readonly id: string;
  readonly type?: string;
  readonly content?: string;
  readonly meta?: Record<string, string>;
}

/**
 * The AppendRequest a step describes: `entries` (`{id, type?, content?, meta?}`;
 * type defaults to {@link defaultEntryType}, content to `content of <id>`) and
 * `writeConcern` (`MAJORITY`, the default, or `LEADER`).
 * @throws Error for a malformed step.
 */
export function appendRequestOf(args: Readonly<Record<string, unknown>>): AppendRequest {
  if (!Array.isArray(args.entries)) throw new Error("append needs entries: [{id, type?, content?, meta?}, …]");
  const entries = (args.entries as StepEntry[]).map((e) => {
    if (typeof e?.id !== "string") throw new Error(`every entry needs a string id, got ${JSON.stringify(e)}`);
    return { id: e.id, type: e.type ?? defaultEntryType, content: e.content ?? `content of ${e.id}`, meta: e.meta ?? {} };
  });
  const wc = args.writeConcern ?? "MAJORITY";
  if (wc !== "MAJORITY" && wc !== "LEADER") throw new Error(`writeConcern must be MAJORITY or LEADER, got ${JSON.stringify(wc)}`);
  return create(AppendRequestSchema, { entries, writeConcern: wc === "LEADER" ? WriteConcern.LEADER : WriteConcern.MAJORITY });
}

/**
 * Summarizes concurrent replies: how many succeeded, the distinct seqs each id got,
 * and how many replies reported each id as new (`duplicate: false`).
 */
export function summarizeReplies(replies: readonly Outcome[]): { okCount: number; errorCount: number; seqsById: Record<string, string[]>; freshById: Record<string, number> } {
  const seqsById: Record<string, string[]> = {};
  const freshById: Record<string, number> = {};
  let okCount = 0;
  for (const r of replies) {
    if (!("ok" in r)) continue;
    okCount++;
    for (const res of (r.ok as { results: { id: string; seq: string; duplicate: boolean }[] }).results) {
      const seqs = (seqsById[res.id] ??= []);
      if (!seqs.includes(res.seq)) seqs.push(res.seq);
      freshById[res.id] = (freshById[res.id] ?? 0) + (res.duplicate ? 0 : 1);
    }
  }
  return { okCount, errorCount: replies.length - okCount, seqsById, freshById };
}

/**
 * `append {node, entries, writeConcern?, timeoutMs?, concurrency?, protocol?, http?, json?, token?}`.
 * One call: the AppendResponse (`{results: [{id, seq, duplicate}], term, leaderId}`) or the error.
 * With `concurrency: N`: `{replies: [outcome…], okCount, errorCount, seqsById, freshById}`,
 * as `ok` when every reply succeeded and as `error` otherwise.
 */
export const appendOp: OpHandler = async (args, ctx) => {
  const node = await resolveTarget(ctx, args.node);
  const req = appendRequestOf(args);
  const client = nodeClient(ctx, HubService, node, callChoiceOf(args));
  const timeoutMs = typeof args.timeoutMs === "number" ? args.timeoutMs : appendTimeoutMsDefault;
  const concern = req.writeConcern === WriteConcern.LEADER ? "leader" : "majority";
  // One signal for every concurrent call, allowed as many listeners as there are calls.
  const signal = AbortSignal.any([ctx.signal]);
  setMaxListeners(appendConcurrencyMax + 10, signal);
  const once = async (): Promise<Outcome> => {
    try {
      const res = await client.append(req, { timeoutMs, signal });
      appendHistoryOf(ctx).record(res.results, concern);
      return { ok: messageJson(AppendResponseSchema, res) };
    } catch (err) {
      return errorOutcome(err);
    }
  };
  if (args.concurrency === undefined) return once();
  const n = args.concurrency;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > appendConcurrencyMax) throw new Error(`concurrency must be 1..${appendConcurrencyMax}`);
  const replies = await Promise.all(Array.from({ length: n }, once));
  const summary = { replies, ...summarizeReplies(replies) };
  return summary.errorCount === 0 ? { ok: plainJson(summary) } : { error: plainJson(summary) };
};
