/**
 * `callMatrix`: the same call over every protocol, HTTP version and codec, so a
 * case checks the error table is the same whatever the client speaks (DESIGN §6).
 */
import type { Client } from "@connectrpc/connect";
import { WriteConcern } from "@synod/proto/entry";
import { AppendResponseSchema, HubService, ReadResponseSchema, StatusResponseSchema } from "@synod/proto/hub";
import { uint64Arg } from "../case-format/uint64-arg.js";
import type { CaseContext, OpHandler } from "../runner/case-context.js";
import { appendHistoryOf } from "./append-history.js";
import { appendRequestOf } from "./append-op.js";
import { callChoiceOf, choiceLabel, type CallChoice } from "./call-choice.js";
import { answerVariants, matrixCombinations, type MatrixOutcome } from "./call-matrix.js";
import { rpcErrorValue } from "./error-outcome.js";
import { nodeClient } from "./node-clients.js";
import { resolveTarget } from "./node-target.js";
import { messageJson, plainJson, type PlainJson } from "./plain-json.js";
import { readRequestOf } from "./read-op.js";

/** Deadline of each call, ms (for `listen`: until the first message). */
const callTimeoutMsDefault = 10_000;

/** The calls a matrix can make. */
const calls = ["append", "read", "status", "listen"] as const;
type Call = (typeof calls)[number];

interface CallRun {
  readonly client: Client<typeof HubService>;
  readonly request: Readonly<Record<string, unknown>>;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly ctx: CaseContext;
}

/** Runs one call; resolves with the reply as JSON, or throws its error. */
async function runCall(call: Call, r: CallRun): Promise<PlainJson> {
  const opts = { timeoutMs: r.timeoutMs, signal: r.signal };
  switch (call) {
    case "append": {
      const req = appendRequestOf(r.request);
      const res = await r.client.append(req, opts);
      appendHistoryOf(r.ctx).record(res.results, req.writeConcern === WriteConcern.LEADER ? "leader" : "majority");
      return messageJson(AppendResponseSchema, res);
    }
    case "read":
      return messageJson(ReadResponseSchema, await r.client.read(readRequestOf(r.request), opts));
    case "status":
      return messageJson(StatusResponseSchema, await r.client.status({}, opts));
    case "listen": {
      // The first message proves the stream was accepted; then it is cancelled.
      const stop = new AbortController();
      const request = { afterSeq: uint64Arg(r.request.afterSeq, "afterSeq") ?? 0n, heartbeatMs: typeof r.request.heartbeatMs === "number" ? r.request.heartbeatMs : 0, types: (r.request.types as string[] | undefined) ?? [] };
      try {
        for await (const m of r.client.listen(request, { timeoutMs: r.timeoutMs, signal: AbortSignal.any([r.signal, stop.signal]) })) {
          return plainJson({ afterSeq: m.afterSeq, throughSeq: m.throughSeq, entries: m.entries.length });
        }
        throw new Error("the stream ended without a message");
      } finally {
        stop.abort();
      }
    }
  }
}

/**
 * `callMatrix {node, call: append|read|status|listen, request?, token?: admin|none|bad,
 * protocols?, http?, json?, timeoutMs?}`: runs `call` with `request` (the step
 * arguments of append or read; for listen `afterSeq`, `heartbeatMs`, `types`) once per
 * combination, one after another. Outcome `{outcomes: [{protocol, http, json, code,
 * message?, notLeader?, fieldViolations?, …, reply?}], codes: [distinct codes],
 * variants: n}`; `code` is `ok` for a success, whose body is in `reply`.
 */
export const callMatrixOp: OpHandler = async (args, ctx) => {
  const call = args.call as Call;
  if (!calls.includes(call)) throw new Error(`call must be one of ${calls.join(", ")}, got ${JSON.stringify(args.call)}`);
  const node = await resolveTarget(ctx, args.node);
  const token = callChoiceOf({ token: args.token }).token;
  const combos: CallChoice[] = matrixCombinations(
    { ...(args.protocols ? { protocols: args.protocols as CallChoice["protocol"][] } : {}), ...(args.http ? { http: (args.http as unknown[]).map(String) as CallChoice["http"][] } : {}), ...(args.json ? { json: args.json as boolean[] } : {}) },
    token,
  );
  if (combos.length === 0) throw new Error("the chosen protocols, http versions and codecs leave no combination");
  const request = (args.request ?? {}) as Record<string, unknown>;
  const timeoutMs = typeof args.timeoutMs === "number" ? args.timeoutMs : callTimeoutMsDefault;
  const outcomes: MatrixOutcome[] = [];
  for (const c of combos) {
    const where = { protocol: c.protocol, http: c.http, json: c.json };
    try {
      const reply = await runCall(call, { client: nodeClient(ctx, HubService, node, c), request, timeoutMs, signal: ctx.signal, ctx });
      outcomes.push({ ...where, code: "ok", reply });
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      outcomes.push({ ...where, ...(plainJson(rpcErrorValue(err)) as { code: string }) });
    }
    ctx.log(`${call} over ${choiceLabel(c)} → ${outcomes.at(-1)?.code}`);
  }
  return { ok: plainJson({ outcomes, codes: [...new Set(outcomes.map((o) => o.code))], variants: answerVariants(outcomes) }) };
};
