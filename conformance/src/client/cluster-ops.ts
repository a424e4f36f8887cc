/**
 * Live-cluster operations of client cases that do not go through the client under
 * test: `waitSettled` (the cluster caught up after a fault) and `appendOther` (entries
 * from another writer, for cases about listeners). Both use the reference client.
 */
import { randomUUID } from "node:crypto";
import { WriteConcern } from "@synod/proto/entry";
import type { OpHandler, OpTable } from "../runner/case-context.js";
import { errorOutcome } from "../server/error-outcome.js";
import { clientSession } from "./client-session.js";
import { awaitSettled } from "./read-converged-logs.js";

/** Default wait of `waitSettled`, ms. */
const settleTimeoutMs = 20_000;
/** Deadline of one reference append, ms. */
const appendTimeoutMs = 10_000;

/**
 * `waitSettled {timeoutMs?}`: waits until a leader is agreed and every running node
 * reports the same commit and applied seqs, e.g. after a restart, before the client
 * under test may be sent to the restarted node. Outcome `{}` or `{error: {message}}`.
 */
const waitSettled: OpHandler = async (a, ctx) => {
  const problems = await awaitSettled(ctx, typeof a.timeoutMs === "number" ? a.timeoutMs : settleTimeoutMs);
  return problems.length === 0 ? { ok: {} } : { error: { message: problems.join("; ") } };
};

/**
 * `appendOther {count?}`: appends `count` (default 1) entries as another client
 * would, through the reference client on the agreed leader (majority write concern),
 * with contents unique in the case. The history check holds them to "committed at
 * most once" but not to the client under test's acknowledgements. Outcome
 * `{node, results: [{id, seq, duplicate}]}` or the RPC error.
 */
const appendOther: OpHandler = async (a, ctx) => {
  const s = clientSession(ctx);
  const cluster = ctx.cluster();
  const count = typeof a.count === "number" ? a.count : 1;
  const entries = Array.from({ length: count }, () => ({ id: `other-${randomUUID()}`, type: "task", content: s.history.uniqueContent(ctx.case.id) }));
  s.history.recordSent(entries.map((e) => ({ id: e.id, content: e.content })));
  const { node } = await cluster.leader();
  try {
    const r = await cluster.client(node).append({ entries, writeConcern: WriteConcern.MAJORITY }, { timeoutMs: appendTimeoutMs, signal: ctx.signal });
    return { ok: { node, results: r.results.map((x) => ({ id: x.id, seq: x.seq.toString(), duplicate: x.duplicate })) } };
  } catch (err) {
    return errorOutcome(err);
  }
};

/** The live-cluster operations. */
export const clusterOps: OpTable = { waitSettled, appendOther };
