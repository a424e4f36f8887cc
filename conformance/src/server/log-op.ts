/** `log`: a node's whole committed log, for expectations about what it holds. */
import { HubService } from "@synod/proto/hub";
import type { OpHandler } from "../runner/case-context.js";
import { readCommittedLog } from "./committed-log.js";
import { errorOutcome } from "./error-outcome.js";
import { nodeClient } from "./node-clients.js";
import { resolveTarget } from "./node-target.js";
import { plainJson } from "./plain-json.js";

/** Client deadline of each page, ms. */
const pageTimeoutMs = 10_000;

/**
 * `log {node}`: `{count, ids, seqs, entries: [{seq, id, type, term, origin}]}` of
 * every committed entry the node serves, in seq order; or the error of the first
 * page that failed.
 */
export const logOp: OpHandler = async (args, ctx) => {
  const node = await resolveTarget(ctx, args.node);
  try {
    const entries = await readCommittedLog(nodeClient(ctx, HubService, node), { timeoutMs: pageTimeoutMs, signal: ctx.signal });
    return {
      ok: plainJson({
        count: entries.length,
        ids: entries.map((e) => e.id),
        seqs: entries.map((e) => e.seq),
        entries: entries.map((e) => ({ seq: e.seq, id: e.id, type: e.type, term: e.term, origin: e.origin })),
      }),
    };
  } catch (err) {
    return errorOutcome(err);
  }
};
