/** `read`: one Read call (one page) to one node. */
import { create } from "@bufbuild/protobuf";
import { HubService, ReadRequestSchema, ReadResponseSchema, type ReadRequest } from "@synod/proto/hub";
import { uint64Arg } from "../case-format/uint64-arg.js";
import type { OpHandler } from "../runner/case-context.js";
import { callChoiceOf } from "./call-choice.js";
import { errorOutcome } from "./error-outcome.js";
import { nodeClient } from "./node-clients.js";
import { resolveTarget } from "./node-target.js";
import { messageJson } from "./plain-json.js";

/** Client deadline of a Read, ms (a `minSeq` wait may take the server up to 30 s). */
export const readTimeoutMsDefault = 35_000;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** The ReadRequest of a step's `afterSeq`, `limit`, `consistent`, `minSeq`, `types`, `origins`. */
export function readRequestOf(args: Readonly<Record<string, unknown>>): ReadRequest {
  return create(ReadRequestSchema, {
    afterSeq: uint64Arg(args.afterSeq, "afterSeq") ?? 0n,
    limit: typeof args.limit === "number" ? args.limit : 0,
    consistent: args.consistent === true,
    minSeq: uint64Arg(args.minSeq, "minSeq") ?? 0n,
    types: strings(args.types),
    origins: strings(args.origins),
  });
}

/**
 * `read {node, afterSeq?, limit?, consistent?, minSeq?, types?, origins?, timeoutMs?, protocol?, http?, json?, token?}`:
 * the ReadResponse (`{entries, throughSeq, commitSeq, hasMore}`) plus `ids` and `seqs` of its entries.
 */
export const readOp: OpHandler = async (args, ctx) => {
  const node = await resolveTarget(ctx, args.node);
  const req = readRequestOf(args);
  try {
    const res = await nodeClient(ctx, HubService, node, callChoiceOf(args)).read(req, { timeoutMs: typeof args.timeoutMs === "number" ? args.timeoutMs : readTimeoutMsDefault, signal: ctx.signal });
    return { ok: { ...(messageJson(ReadResponseSchema, res) as object), ids: res.entries.map((e) => e.id), seqs: res.entries.map((e) => e.seq.toString()) } };
  } catch (err) {
    return errorOutcome(err);
  }
};
